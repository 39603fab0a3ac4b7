package lossmeter.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import lossmeter.faults.target.Policy;

/**
 * A durability test: one campaign against the class's {@link LossmeterTarget}, run once for the
 * method, with one invocation per policy × fault cell (named like {@code [always × power-loss]})
 * that fails with the cell's evidence when the cell broke its promise. The method body runs after
 * its cell passed and may take the cell's {@code CellResult} or the {@code CampaignResult} as
 * parameters. Reports go to {@code target/lossmeter/<test class>.<method>/}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(DurabilityExtension.class)
public @interface DurabilityTest {
    Policy[] policies() default {Policy.ALWAYS, Policy.EVERYSEC, Policy.NO};

    /** Fault names from the catalogue ({@code ./lossmeter faults}), e.g. {@code "kill"}, {@code "power-loss"}. */
    String[] faults() default {"kill"};

    /** Trials per cell. */
    int trials() default 1;

    /** Crash cycles per trial. */
    int crashes() default 2;

    /** Length of each crash cycle: {@code 500ms}, {@code 3s}, {@code 2m}. */
    String duration() default "2s";

    /** {@code counter}, {@code list}, {@code flush}, {@code txn} or {@code mixed}. */
    String workload() default "mixed";

    int clients() default 8;

    /** W, how far behind a crash everysec may lose acknowledged writes (and the default gate's everysec limit). */
    String window() default "2000ms";

    /** The loss gate, e.g. {@code always=0ms,everysec=1s}; empty: {@code always=0ms,everysec=<window>}. */
    String gate() default "";
}
