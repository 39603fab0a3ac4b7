package lossmeter.reports.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * What the charts need from one trial's history, gathered in one streaming pass so a million-op
 * history costs seconds and bounded memory: a binned timeline of ops per process over the last
 * seconds before one crash, latency per time bin over the whole trial, and the outage after each
 * crash (from the crash to the first op invoked afterwards).
 */
public record HistorySample(long windowStartNs, long windowEndNs, int bins, List<ProcessRow> rows,
                            long trialEndNs, LatencyBin[] latency, List<long[]> outages) {
    /** Processes drawn as their own row; the rest share one row, so the chart's height stays bounded. */
    public static final int MAX_ROWS = 24;
    public static final int LATENCY_BINS = 200;
    /** A row for all processes beyond {@link #MAX_ROWS}. */
    public static final int OTHERS = -1;

    /** Ops per time bin of one process row, by outcome, counted at their invocation time. */
    public record ProcessRow(int process, int[] ok, int[] fail, int[] info) {
    }

    /** Latency of the ops that completed (ok or fail) and were invoked in one time bin, in ms. */
    public record LatencyBin(long startNs, int count, double p50Ms, double p99Ms, double maxMs) {
    }

    /**
     * Samples the history file. {@code crashNs} ends the timeline window, which reaches back
     * {@code lookbackNs}; {@code crashTimesNs} are all the trial's crashes, for the outages.
     */
    public static HistorySample read(Path history, long crashNs, long lookbackNs, int bins, List<Long> crashTimesNs)
            throws IOException {
        long start = Math.max(0, crashNs - lookbackNs);
        long binNs = Math.max(1, (crashNs - start + bins - 1) / bins);
        Map<Integer, ProcessRow> rows = new LinkedHashMap<>();
        Map<Integer, Long> inflight = new HashMap<>();
        long[] latT = new long[1 << 12];
        double[] latMs = new double[1 << 12];
        int latN = 0;
        long end = 0;
        List<Long> crashes = crashTimesNs.stream().sorted().toList();
        long[] firstInvokeAfter = new long[crashes.size()];
        Arrays.fill(firstInvokeAfter, -1);
        if (Files.isRegularFile(history)) {
            try (BufferedReader r = Files.newBufferedReader(history, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isBlank()) continue;
                    Line op = Line.parse(line);
                    end = Math.max(end, op.time);
                    if (op.invoke) {
                        inflight.put(op.process, op.time);
                        for (int i = 0; i < crashes.size(); i++) {
                            if (firstInvokeAfter[i] < 0 && op.time > crashes.get(i)) firstInvokeAfter[i] = op.time;
                        }
                        continue;
                    }
                    Long invokedAt = inflight.remove(op.process);
                    long t0 = invokedAt == null ? op.time : invokedAt;
                    if (!"info".equals(op.type)) {
                        if (latN == latT.length) {
                            latT = Arrays.copyOf(latT, latN * 2);
                            latMs = Arrays.copyOf(latMs, latN * 2);
                        }
                        latT[latN] = t0;
                        latMs[latN++] = (op.time - t0) / 1e6;
                    }
                    if (t0 >= start && t0 < crashNs) count(rows, op.process, op.type, (int) ((t0 - start) / binNs), bins);
                }
            }
        }
        // Ops still in flight when the history ends never got an answer: unknown outcome, as info.
        for (Map.Entry<Integer, Long> e : inflight.entrySet()) {
            long t0 = e.getValue();
            if (t0 >= start && t0 < crashNs) count(rows, e.getKey(), "info", (int) ((t0 - start) / binNs), bins);
        }
        List<long[]> outages = new ArrayList<>();
        for (int i = 0; i < crashes.size(); i++) {
            outages.add(new long[] {crashes.get(i), firstInvokeAfter[i] < 0 ? end : firstInvokeAfter[i]});
        }
        return new HistorySample(start, crashNs, bins, List.copyOf(rows.values()), end,
                latencyBins(latT, latMs, latN, end), outages);
    }

    private static void count(Map<Integer, ProcessRow> rows, int process, String type, int bin, int bins) {
        int key = rows.containsKey(process) || rows.size() < MAX_ROWS ? process : OTHERS;
        ProcessRow row = rows.computeIfAbsent(key, p -> new ProcessRow(p, new int[bins], new int[bins], new int[bins]));
        int b = Math.min(bin, bins - 1);
        switch (type) {
            case "ok" -> row.ok()[b]++;
            case "fail" -> row.fail()[b]++;
            default -> row.info()[b]++;
        }
    }

    private static LatencyBin[] latencyBins(long[] t, double[] ms, int n, long end) {
        long binNs = Math.max(1, (end + LATENCY_BINS) / LATENCY_BINS);
        List<List<Double>> per = new ArrayList<>();
        for (int i = 0; i < LATENCY_BINS; i++) per.add(new ArrayList<>());
        for (int i = 0; i < n; i++) per.get((int) Math.min(LATENCY_BINS - 1, t[i] / binNs)).add(ms[i]);
        LatencyBin[] out = new LatencyBin[LATENCY_BINS];
        for (int i = 0; i < LATENCY_BINS; i++) {
            List<Double> l = per.get(i);
            l.sort(null);
            int c = l.size();
            out[i] = c == 0 ? new LatencyBin(i * binNs, 0, 0, 0, 0)
                    : new LatencyBin(i * binNs, c, l.get(c / 2), l.get(Math.min(c - 1, (int) (c * 0.99))), l.get(c - 1));
        }
        return out;
    }

    /** The few fields of a history line the sample needs, read with the streaming parser (no tree per line). */
    private record Line(long time, String type, int process, boolean invoke) {
        static Line parse(String s) throws IOException {
            long time = 0;
            String type = null;
            int process = 0;
            int seen = 0;
            try (JsonParser p = ResultsDir.JSON.createParser(s)) {
                if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a history line: " + s);
                // The writer puts time, type and process before the value, which can be a long list: stop once they are read.
                while (seen < 3 && p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    switch (name) {
                        case "time" -> { time = p.getLongValue(); seen++; }
                        case "type" -> { type = p.getText(); seen++; }
                        case "process" -> { process = p.getIntValue(); seen++; }
                        default -> {
                            if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) p.skipChildren();
                        }
                    }
                }
            }
            return new Line(time, type, process, "invoke".equals(type));
        }
    }
}
