package lossmeter.junit;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.MediaType;
import org.junit.jupiter.api.extension.ExtensionContext;

import lossmeter.faults.FaultSpec;
import lossmeter.faults.Faults;
import lossmeter.harness.run.CampaignResult;
import lossmeter.harness.run.CampaignSpec;
import lossmeter.harness.run.Durations;
import lossmeter.harness.run.LossGate;
import lossmeter.harness.target.Target;
import lossmeter.harness.target.Targets;
import lossmeter.reports.model.ResultsFiles;
import lossmeter.workloads.generator.Workloads;

/**
 * The campaign of one {@link DurabilityTest} method: its target, seed and cells worked out from
 * the annotations, run at most once (at the first cell's invocation), its reports published on
 * the method's context. Cells whose prerequisite is missing are left out of the campaign.
 */
final class MethodCampaign {
    /** The system property that seeds a method without {@link Seed}. */
    static final String SEED_PROPERTY = "lossmeter.seed";

    private final ExtensionContext method;
    private final DurabilityTest test;
    private final Target target;
    private final String targetMissing;
    private final Map<String, String> faultMissing = new LinkedHashMap<>();
    private CampaignResult result;
    private RuntimeException failure;

    MethodCampaign(ExtensionContext method, DurabilityTest test) {
        this.method = method;
        this.test = test;
        this.target = target(method.getRequiredTestClass());
        this.targetMissing = Prerequisites.missingFor(target);
        for (String f : test.faults()) {
            String why = Prerequisites.missingFor(Faults.byName(f));
            if (why != null) faultMissing.put(f, why);
        }
    }

    /** Why the cell of this fault cannot run here, or null. */
    String missing(String fault) {
        return targetMissing != null ? targetMissing : faultMissing.get(fault);
    }

    /** The campaign's result, running it on the first call; a campaign that could not run fails every cell alike. */
    synchronized CampaignResult result() {
        if (result == null && failure == null) {
            try {
                result = run();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) throw failure;
        return result;
    }

    private CampaignResult run() {
        List<FaultSpec> faults = new ArrayList<>();
        for (String f : test.faults()) {
            if (!faultMissing.containsKey(f)) faults.add(Faults.byName(f));
        }
        long seed = seed();
        Path out = CampaignBuilder.DEFAULT_ROOT.resolve(method.getRequiredTestClass().getSimpleName() + "." + method.getRequiredTestMethod().getName());
        CampaignBuilder b = Lossmeter.campaign().target(target).policies(test.policies()).faults(faults.toArray(FaultSpec[]::new))
                .trials(test.trials()).crashes(test.crashes()).duration(Durations.parse(test.duration()))
                .workload(Workloads.byName(test.workload(), Workloads.DEFAULT_KEYS)).clients(test.clients())
                .window(Durations.parse(test.window())).seed(seed).out(out);
        if (!test.gate().isBlank()) b.gate(LossGate.parse(test.gate()));
        CampaignSpec spec = b.spec();
        String name = method.getRequiredTestClass().getName() + "." + method.getRequiredTestMethod().getName();
        System.out.println("lossmeter: " + name + ": seed " + seed + " (replay with @Seed(" + seed + ") or -D" + SEED_PROPERTY + "=" + seed
                + "); results in " + out);
        method.publishReportEntry(Map.of("lossmeter.seed", Long.toString(seed), "lossmeter.results", out.toAbsolutePath().toString()));
        ResultsDirs.replace(out);
        CampaignResult r = CampaignBuilder.execute(spec, null, false, "@DurabilityTest " + name);
        publish(out);
        return r;
    }

    /** report.html, junit.xml, results.json (and comparison.json) attached to the method, for IDEs and build reports. */
    private void publish(Path out) {
        Map<String, MediaType> files = new LinkedHashMap<>();
        files.put("report.html", MediaType.create("text", "html", java.nio.charset.StandardCharsets.UTF_8));
        files.put("junit.xml", MediaType.create("application", "xml"));
        files.put(ResultsFiles.RESULTS, MediaType.APPLICATION_JSON);
        files.put(ResultsFiles.COMPARISON, MediaType.APPLICATION_JSON);
        files.forEach((name, type) -> {
            Path src = out.resolve(name);
            if (!Files.isRegularFile(src)) return;
            try {
                method.publishFile(name, type, dst -> Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING));
            } catch (RuntimeException e) {
                // A launcher that writes no outputs must not fail the cells: the files stay in the results dir.
                System.err.println("lossmeter: could not publish " + src + ": " + e.getMessage());
            }
        });
    }

    private long seed() {
        Seed s = method.getRequiredTestMethod().getAnnotation(Seed.class);
        if (s == null) s = method.getRequiredTestClass().getAnnotation(Seed.class);
        if (s != null) return s.value();
        String p = System.getProperty(SEED_PROPERTY);
        if (p != null && !p.isBlank()) {
            try {
                return Long.parseLong(p.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + SEED_PROPERTY + "=" + p + " is not a number", e);
            }
        }
        return ThreadLocalRandom.current().nextLong();
    }

    /** The value of the class's {@link LossmeterTarget} static field or method (searched up the class hierarchy), else the bundled server. */
    static Target target(Class<?> testClass) {
        List<String> found = new ArrayList<>();
        Target t = null;
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!f.isAnnotationPresent(LossmeterTarget.class)) continue;
                found.add(f.getName());
                if (t == null) t = (Target) read(f, c);
            }
            for (Method m : c.getDeclaredMethods()) {
                if (!m.isAnnotationPresent(LossmeterTarget.class)) continue;
                found.add(m.getName() + "()");
                if (t == null) t = (Target) call(m, c);
            }
            if (t != null) break;
        }
        if (found.size() > 1) throw new IllegalStateException(testClass.getName() + " has more than one @LossmeterTarget: " + found);
        return t != null ? t : Targets.bundled();
    }

    private static Object read(Field f, Class<?> c) {
        check(Modifier.isStatic(f.getModifiers()) && Target.class.isAssignableFrom(f.getType()), c, f.getName());
        try {
            f.setAccessible(true);
            return required(f.get(null), c, f.getName());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read @LossmeterTarget " + c.getName() + "." + f.getName(), e);
        }
    }

    private static Object call(Method m, Class<?> c) {
        check(Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0 && Target.class.isAssignableFrom(m.getReturnType()), c,
                m.getName() + "()");
        try {
            m.setAccessible(true);
            return required(m.invoke(null), c, m.getName() + "()");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call @LossmeterTarget " + c.getName() + "." + m.getName() + "()", e);
        }
    }

    private static void check(boolean ok, Class<?> c, String member) {
        if (!ok) {
            throw new IllegalStateException("@LossmeterTarget " + c.getName() + "." + member
                    + " must be a static field of type Target or a static no-argument method returning one");
        }
    }

    private static Object required(Object value, Class<?> c, String member) {
        if (value == null) throw new IllegalStateException("@LossmeterTarget " + c.getName() + "." + member + " is null");
        return value;
    }
}
