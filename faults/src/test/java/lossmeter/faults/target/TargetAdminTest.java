package lossmeter.faults.target;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TargetAdminTest {
    @Test
    void parsesInfoSectionsSkippingHeadersAndBlankLines() {
        assertThat(TargetAdmin.parseInfo("# Persistence\r\nloading:0\r\naof_rewrite_in_progress:1\r\n\r\nrdb_last_bgsave_status:ok\r\n"))
                .containsExactly(java.util.Map.entry("loading", "0"), java.util.Map.entry("aof_rewrite_in_progress", "1"),
                        java.util.Map.entry("rdb_last_bgsave_status", "ok"));
    }
}
