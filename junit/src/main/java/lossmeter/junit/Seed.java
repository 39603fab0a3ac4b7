package lossmeter.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The campaign seed of a {@link DurabilityTest} (on the method, or on the class for all of its
 * methods). Without it, {@code -Dlossmeter.seed=N} or a random seed, which is printed and
 * published as the report entry {@code lossmeter.seed}, so a failure can be replayed.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Seed {
    long value();
}
