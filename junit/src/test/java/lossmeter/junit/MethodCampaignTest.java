package lossmeter.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import lossmeter.faults.Faults;
import lossmeter.harness.target.Target;
import lossmeter.harness.target.Targets;

/** Where a durability test's target comes from, and what a missing prerequisite is called. */
class MethodCampaignTest {
    static class NoTarget {
    }

    static class FieldTarget {
        @LossmeterTarget
        static Target server = Targets.command("./my-server --port {port} --dir {dir} --appendfsync {fsync}");
    }

    static class MethodTarget {
        @LossmeterTarget
        static Target server() {
            return Targets.bundled("--unsafe-skip-fsync yes");
        }
    }

    static class Inherited extends MethodTarget {
    }

    static class Two {
        @LossmeterTarget
        static Target a = Targets.bundled();

        @LossmeterTarget
        static Target b() {
            return Targets.bundled();
        }
    }

    static class NotStatic {
        @LossmeterTarget
        Target a = Targets.bundled();
    }

    @Test
    void theTargetIsTheAnnotatedStaticMemberOrTheBundledServer() {
        assertThat(MethodCampaign.target(NoTarget.class).spec()).isEqualTo("bundled");
        assertThat(MethodCampaign.target(FieldTarget.class).spec()).isEqualTo("cmd:./my-server --port {port} --dir {dir} --appendfsync {fsync}");
        assertThat(MethodCampaign.target(MethodTarget.class).spec()).isEqualTo("bundled:--unsafe-skip-fsync yes");
        assertThat(MethodCampaign.target(Inherited.class).spec()).isEqualTo("bundled:--unsafe-skip-fsync yes");
        assertThatThrownBy(() -> MethodCampaign.target(Two.class)).hasMessageContaining("more than one @LossmeterTarget");
        assertThatThrownBy(() -> MethodCampaign.target(NotStatic.class)).hasMessageContaining("must be a static field of type Target");
    }

    @Test
    void missingPrerequisitesSayWhatIsMissing() {
        assertThat(Prerequisites.missingFor(Faults.kill())).isNull();
        assertThat(Prerequisites.missingFor(Targets.bundled())).isNull();
        assertThat(Prerequisites.missingFor(Targets.redis(Path.of("/nonexistent/redis-server"))))
                .isEqualTo("target 'redis:/nonexistent/redis-server': no executable redis-server at /nonexistent/redis-server");
        String fuse = Prerequisites.missingFor(Faults.powerLoss());
        if (fuse != null) assertThat(fuse).startsWith("fault 'power-loss' mounts lossyfs and needs FUSE; missing: ");
    }
}
