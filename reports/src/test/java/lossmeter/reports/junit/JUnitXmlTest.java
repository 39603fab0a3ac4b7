package lossmeter.reports.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import lossmeter.reports.SampleResults;
import lossmeter.reports.compare.Compare;
import lossmeter.reports.model.ResultsDir;

class JUnitXmlTest {
    @TempDir
    Path dir;

    @Test
    void oneTestcasePerCellWithAFailurePerViolationUnavailableAndGateBreach() throws Exception {
        Document doc = parse(JUnitXml.render(ResultsDir.read(SampleResults.failing(dir))));
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("2");
        NodeList cases = doc.getElementsByTagName("testcase");
        assertThat(names(cases)).containsExactly("always × kill", "everysec × kill", "no × kill");
        Element always = (Element) cases.item(0);
        assertThat(always.getElementsByTagName("failure").getLength()).isZero();
        Element everysec = (Element) cases.item(1);
        NodeList f = everysec.getElementsByTagName("failure");
        assertThat(f.getLength()).isEqualTo(2);
        assertThat(((Element) f.item(0)).getAttribute("type")).isEqualTo("VIOLATION");
        assertThat(((Element) f.item(0)).getAttribute("message")).contains("LOST_ACKED").contains("HOLE");
        assertThat(f.item(0).getTextContent()).contains(SampleResults.HOSTILE_KEY).contains("--only everysec-kill-1");
        assertThat(((Element) f.item(1)).getAttribute("type")).isEqualTo("GATE");
        Element no = (Element) cases.item(2);
        assertThat(((Element) no.getElementsByTagName("failure").item(0)).getAttribute("type")).isEqualTo("UNAVAILABLE");
        assertThat(((Element) no.getElementsByTagName("error").item(0)).getAttribute("type")).isEqualTo("INDETERMINATE");
    }

    @Test
    void aCellWithoutEffectIsSkippedNamingWhyNeverPassed() throws Exception {
        Document doc = parse(JUnitXml.render(ResultsDir.read(SampleResults.noEffect(dir))));
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        Element skipped = (Element) doc.getElementsByTagName("skipped").item(0);
        assertThat(skipped.getAttribute("message")).isEqualTo("NO EFFECT: power-loss took effect in 1/4 crashes; it says nothing "
                + "about the target");
    }

    @Test
    void baselineRegressionsAreFailuresOfTheirCell() throws Exception {
        Path d = SampleResults.failing(dir);
        var base = Compare.read(d);
        var better = new lossmeter.reports.model.Results(base.verdict(), base.seed(), base.target(), null,
                base.cells().stream().map(c -> new lossmeter.reports.model.Cell(c.policy(), c.fault(), c.trials(), c.crashes(),
                        c.ackedWrites(), 0, 0, 0, 0, java.util.Map.of())).toList(),
                null, null, null, null, null, null, null, null, null);
        lossmeter.reports.Reports.writeComparison(d, Compare.of("base.json", better, base, 20, 100));
        Document doc = parse(JUnitXml.render(ResultsDir.read(d)));
        NodeList f = ((Element) doc.getElementsByTagName("testcase").item(1)).getElementsByTagName("failure");
        assertThat(((Element) f.item(f.getLength() - 1)).getAttribute("type")).isEqualTo("BASELINE");
        assertThat(((Element) f.item(f.getLength() - 1)).getAttribute("message")).contains("gained HOLE, LOST_ACKED");
    }

    @Test
    void emptyCampaignIsAnEmptySuite() throws Exception {
        Document doc = parse(JUnitXml.render(ResultsDir.read(SampleResults.empty(dir))));
        assertThat(((Element) doc.getElementsByTagName("testsuite").item(0)).getAttribute("tests")).isEqualTo("0");
    }

    @Test
    void controlCharactersCannotBreakTheXml() {
        assertThat(JUnitXml.clean("a\u0001b\u0000")).isEqualTo("a\uFFFDb\uFFFD");
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> names(NodeList cases) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) out.add(((Element) cases.item(i)).getAttribute("name"));
        return out;
    }
}
