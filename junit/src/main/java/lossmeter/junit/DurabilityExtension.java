package lossmeter.junit;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

import lossmeter.faults.Faults;
import lossmeter.faults.target.Policy;
import lossmeter.harness.run.CampaignResult;
import lossmeter.harness.run.CellResult;

/**
 * Runs {@link DurabilityTest}s: one invocation per policy × fault cell; the campaign runs once per
 * method, at its first invocation ({@link MethodCampaign}, kept in the template's store), and
 * each invocation asserts its own cell. A cell whose prerequisite is missing (FUSE, redis-server)
 * is skipped with the reason, or fails when {@code CI=true}.
 */
public final class DurabilityExtension implements TestTemplateInvocationContextProvider {
    static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DurabilityExtension.class);
    static final String CAMPAIGN = "campaign";

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(DurabilityTest.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        DurabilityTest test = method.getAnnotation(DurabilityTest.class);
        // Names are checked here, so a typo fails the method before any cell starts.
        for (String f : test.faults()) Faults.byName(f);
        if (test.policies().length == 0 || test.faults().length == 0) {
            throw new IllegalArgumentException("@DurabilityTest on " + method.getName() + " needs at least one policy and one fault");
        }
        context.getStore(NAMESPACE).put(CAMPAIGN, new MethodCampaign(context, test));
        List<TestTemplateInvocationContext> cells = new ArrayList<>();
        for (Policy p : test.policies()) {
            for (String f : test.faults()) cells.add(new Cell(p, f));
        }
        return cells.stream();
    }

    /** One policy × fault cell of the method's campaign, as one invocation of the template. */
    record Cell(Policy policy, String fault) implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return "[" + policy.confName() + " × " + fault + "]";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new CellCheck(this));
        }
    }

    /** Runs the campaign if this is the first cell, then fails, skips or passes this cell before the body runs. */
    record CellCheck(Cell cell) implements BeforeEachCallback, ParameterResolver {
        @Override
        public void beforeEach(ExtensionContext context) {
            MethodCampaign campaign = context.getStore(NAMESPACE).get(CAMPAIGN, MethodCampaign.class);
            String missing = campaign.missing(cell.fault());
            if (missing != null) {
                if (Prerequisites.inCi()) {
                    throw new AssertionError("CI=true and a prerequisite of " + cell.getDisplayName(0) + " is missing: " + missing);
                }
                Assumptions.abort("skipped (prerequisite missing; this fails when CI=true): " + missing);
            }
            CampaignResult r = campaign.result();
            Lossmeter.assertThat(r).keptPromiseIn(cell.policy(), cell.fault());
        }

        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
            Class<?> type = p.getParameter().getType();
            return type == CellResult.class || type == CampaignResult.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext context) {
            CampaignResult r = context.getStore(NAMESPACE).get(CAMPAIGN, MethodCampaign.class).result();
            if (p.getParameter().getType() == CampaignResult.class) return r;
            return r.cells().stream().filter(c -> c.policy() == cell.policy() && c.fault().equals(cell.fault())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no results for " + cell.getDisplayName(0)));
        }
    }
}
