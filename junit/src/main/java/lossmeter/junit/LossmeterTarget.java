package lossmeter.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the static field or static no-argument method of a test class that gives the
 * {@code lossmeter.harness.target.Target} its {@link DurabilityTest}s run against, e.g.
 * {@code @LossmeterTarget static Target server = Targets.command("./my-server --port {port} --dir {dir} --appendfsync {fsync}");}.
 * Without one, the bundled server is the target.
 */
@Target({ElementType.FIELD, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface LossmeterTarget {
}
