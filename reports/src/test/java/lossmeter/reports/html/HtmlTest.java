package lossmeter.reports.html;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {
    @Test
    void escapesMarkupQuotesAndAmpersands() {
        assertThat(Html.esc("<script>alert(1)</script>")).isEqualTo("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(Html.esc("\"'&</svg>")).isEqualTo("&quot;&#39;&amp;&lt;/svg&gt;");
        assertThat(Html.esc(null)).isEmpty();
    }

    @Test
    void controlCharactersBecomeReplacementCharacters() {
        assertThat(Html.esc("a\u0000b\u001bc\nd")).isEqualTo("a\uFFFDb\uFFFDc\nd");
    }

    @Test
    void hrefPercentEncodesEverythingButSafePathCharacters() {
        assertThat(Html.href("trials/always-kill-1/history.jsonl")).isEqualTo("trials/always-kill-1/history.jsonl");
        assertThat(Html.href("trials/x\"><script>/a b")).isEqualTo("trials/x%22%3E%3Cscript%3E/a%20b");
    }

    @Test
    void clipSaysHowMuchWasCut() {
        assertThat(Html.clip("abcdef", 4)).isEqualTo("abcd… (2 more characters)");
        assertThat(Html.clip("abc", 4)).isEqualTo("abc");
    }
}
