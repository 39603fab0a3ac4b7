package lossmeter.reports.junit;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import lossmeter.reports.model.Anomaly;
import lossmeter.reports.model.Cell;
import lossmeter.reports.model.Comparison.CellComparison;
import lossmeter.reports.model.CrashVerdict;
import lossmeter.reports.model.ResultsDir;
import lossmeter.reports.model.Trial;

/**
 * {@code junit.xml} for CI test tabs: one testsuite, one testcase per policy × fault cell, and in it
 * a {@code <failure>} for each crash judged VIOLATION or UNAVAILABLE, each trial with anomalous live
 * reads, a gate breach, and a regression against the baseline (messages list the anomalies);
 * an {@code <error>} for each INDETERMINATE trial. Counts are read off the results, never judged.
 */
public final class JUnitXml {
    public static final String FILE = "junit.xml";

    private JUnitXml() {
    }

    record Problem(boolean error, String type, String message, String detail) {
    }

    public static String render(ResultsDir d) throws IOException {
        List<Cell> cells = d.results().cells();
        List<List<Problem>> problems = new ArrayList<>();
        int failures = 0;
        int errors = 0;
        int skipped = 0;
        for (Cell c : cells) {
            List<Problem> ps = problems(d, c);
            problems.add(ps);
            if (ps.stream().anyMatch(p -> !p.error())) failures++;
            else if (!ps.isEmpty()) errors++;
            else if (c.withoutEffect()) skipped++;
        }
        StringWriter sw = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(sw);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", "lossmeter");
            x.writeAttribute("tests", Integer.toString(cells.size()));
            x.writeAttribute("failures", Integer.toString(failures));
            x.writeAttribute("errors", Integer.toString(errors));
            x.writeAttribute("skipped", Integer.toString(skipped));
            if (d.results().durationMs() != null) x.writeAttribute("time", seconds(d.results().durationMs()));
            if (d.results().startedAt() != null) x.writeAttribute("timestamp", clean(d.results().startedAt()));
            x.writeStartElement("properties");
            property(x, "target", d.results().target());
            property(x, "targetVersion", d.results().targetVersion());
            property(x, "seed", d.results().seed() == null ? null : d.results().seed().toString());
            property(x, "command", d.results().command());
            property(x, "workload", d.results().workload());
            property(x, "gate", d.results().gate());
            x.writeEndElement();
            for (int i = 0; i < cells.size(); i++) {
                Cell c = cells.get(i);
                x.writeStartElement("testcase");
                x.writeAttribute("classname", "lossmeter." + clean(c.policy()));
                x.writeAttribute("name", clean(c.policy() + " × " + c.fault()));
                x.writeAttribute("time", "0");
                if (problems.get(i).isEmpty() && c.withoutEffect()) {
                    // Neither a pass nor a finding about the target: the fault did not take effect.
                    x.writeStartElement("skipped");
                    x.writeAttribute("message", clean("NO EFFECT: " + c.fault() + " took effect in " + c.effectiveShare()
                            + " crashes; it says nothing about the target"));
                    x.writeEndElement();
                }
                for (Problem p : problems.get(i)) {
                    x.writeStartElement(p.error() ? "error" : "failure");
                    x.writeAttribute("type", p.type());
                    x.writeAttribute("message", clean(p.message()));
                    x.writeCharacters(clean(p.detail()));
                    x.writeEndElement();
                }
                x.writeStartElement("system-out");
                x.writeCharacters(clean(c.trials() + " trials, " + c.crashes() + " crashes, " + c.ackedWrites() + " acked writes, "
                        + c.lostAcked() + " lost acked, max loss window " + c.maxLossWindowMs() + " ms"));
                x.writeEndElement();
                x.writeEndElement();
            }
            x.writeEndElement();
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write junit.xml", e);
        }
        return sw + "\n";
    }

    private static List<Problem> problems(ResultsDir d, Cell c) {
        List<Problem> out = new ArrayList<>();
        for (Trial t : d.trialsOf(c)) {
            String reproduce = t.summary() != null && t.summary().reproduce() != null ? "\nreproduce: " + t.summary().reproduce() : "";
            if (t.verdict() == null) {
                if (t.failed()) out.add(new Problem(true, "INDETERMINATE", t.id() + ": not checked",
                        (t.summary() == null ? "" : String.valueOf(t.summary().error())) + reproduce));
                continue;
            }
            for (CrashVerdict cv : t.verdict().crashes()) {
                String v = cv.verdict();
                if (!"VIOLATION".equals(v) && !"UNAVAILABLE".equals(v) && !"INDETERMINATE".equals(v)) continue;
                String kinds = String.join(", ", cv.anomalies().stream().map(Anomaly::kind).distinct().toList());
                String msg = t.id() + " crash " + cv.cycle() + " (" + cv.fault() + "): " + v
                        + (kinds.isEmpty() ? "" : ": " + kinds) + (cv.note() == null ? "" : " — " + cv.note());
                out.add(new Problem("INDETERMINATE".equals(v), v, msg, describe(cv.anomalies()) + reproduce));
            }
            if (!t.verdict().liveReadAnomalies().isEmpty()) {
                List<Anomaly> as = t.verdict().liveReadAnomalies();
                out.add(new Problem(false, "VIOLATION", t.id() + " live reads: "
                        + String.join(", ", as.stream().map(Anomaly::kind).distinct().toList()), describe(as) + reproduce));
            }
            if (t.verdict().crashes().isEmpty() && "INDETERMINATE".equals(t.verdictName())) {
                out.add(new Problem(true, "INDETERMINATE", t.id() + ": " + t.verdict().error(), reproduce.strip()));
            }
        }
        if (d.results().overGate().contains(c.key())) {
            out.add(new Problem(false, "GATE", c.key() + ": max data-loss window " + c.maxLossWindowMs() + " ms is over the gate ("
                    + d.results().gate() + ")", ""));
        }
        if (d.comparison() != null) {
            for (CellComparison cc : d.comparison().regressions()) {
                if (cc.key().equals(c.key())) {
                    out.add(new Problem(false, "BASELINE", c.key() + " regressed against the baseline: " + cc.reason(),
                            "baseline: " + d.comparison().baseline()));
                }
            }
        }
        return out;
    }

    private static String describe(List<Anomaly> anomalies) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (Anomaly a : anomalies) {
            if (n++ == 20) {
                sb.append("… ").append(anomalies.size() - 20).append(" more in verdict.json\n");
                break;
            }
            sb.append(a.kind()).append(" key ").append(a.key()).append(": ").append(a.message()).append("; expected ")
                    .append(a.expected()).append(", recovered ").append(a.recovered()).append('\n');
        }
        return sb.toString();
    }

    private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        if (value == null) return;
        x.writeEmptyElement("property");
        x.writeAttribute("name", name);
        x.writeAttribute("value", clean(value));
    }

    private static String seconds(long ms) {
        return String.format(java.util.Locale.ROOT, "%.3f", ms / 1000.0);
    }

    /** XML 1.0 cannot hold most control characters, even escaped; a target's bytes may contain them. */
    static String clean(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            boolean ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
            sb.appendCodePoint(ok ? cp : 0xFFFD);
        });
        return sb.toString();
    }
}
