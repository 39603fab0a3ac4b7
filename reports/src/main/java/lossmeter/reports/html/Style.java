package lossmeter.reports.html;

/**
 * The report's only stylesheet, inlined so the page needs no network. Colours are the Okabe–Ito
 * palette, which stays distinguishable for colour-blind readers; every status also carries a
 * symbol and a word, and shaded areas are hatched, so nothing is told by colour alone.
 */
final class Style {
    private Style() {
    }

    static final String CSS = """
            :root{--ok:#0072B2;--warn:#E69F00;--bad:#D55E00;--unk:#777;--ink:#1a1a1a;--muted:#555;--line:#ccc}
            *{box-sizing:border-box}
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0 auto;max-width:1100px;padding:12px}
            h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid var(--line)}h3{font-size:1.05em}
            code,pre{font:13px/1.4 ui-monospace,Menlo,Consolas,monospace;background:#f4f4f4}
            pre{padding:6px;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
            table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
            th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}
            .scroll{overflow-x:auto;max-width:100%}
            .banner{padding:12px 16px;border-radius:6px;font-size:1.25em;font-weight:600;color:#fff;margin:.6em 0}
            .banner.pass{background:var(--ok)}.banner.fail{background:var(--bad)}
            .status{display:inline-block;padding:1px 6px;border-radius:4px;font-weight:600;white-space:nowrap;border:2px solid}
            .status.good{color:var(--ok);border-color:var(--ok)}
            .status.warn{color:#8a5d00;border-color:var(--warn);border-style:dashed}
            .status.bad{color:#fff;background:var(--bad);border-color:var(--bad)}
            .status.unknown{color:var(--unk);border-color:var(--unk);border-style:dotted}
            dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}dl.facts dt{font-weight:600}dl.facts dd{margin:0;word-break:break-word}
            svg.chart{max-width:100%;height:auto;display:block;margin:.4em 0;font-size:11px}
            svg .axis{fill:var(--muted)}svg .label{fill:var(--ink)}svg .warn{fill:#8a5d00}svg .crash{fill:var(--bad);font-weight:600}
            svg .axis-line,svg .tick{stroke:#888}svg .grid{stroke:#eee}
            svg .op-ok{fill:var(--ok)}svg .op-info{fill:var(--bad)}svg .op-fail{stroke:var(--warn);stroke-width:2;fill:none}
            svg .evidence{fill:#000;stroke:#fff;stroke-width:1}
            svg .loss-window{fill:url(#hatch);stroke:var(--warn)}svg .fault-window{fill:url(#hatch);stroke:none}
            svg .hatch-line{stroke:var(--warn);stroke-width:2;stroke-opacity:.5}
            svg .crash-line{stroke:var(--bad);stroke-width:2}
            svg .lat-p50{fill:none;stroke:var(--ok);stroke-width:1.5}svg .lat-max{fill:none;stroke:var(--bad);stroke-width:1;stroke-dasharray:4 2}
            svg .dot{fill:var(--ok);fill-opacity:.7}svg .range{stroke:var(--ok);stroke-width:1.2}svg .dot-violation{stroke:var(--bad);stroke-width:2.5;fill:none}
            svg .bound{stroke:var(--ink);stroke-dasharray:3 2}svg .gate{stroke:var(--bad);stroke-width:1.5;stroke-dasharray:6 3}svg .gate-label{fill:var(--bad)}
            .legend{color:var(--muted);font-size:.9em}
            details{margin:.4em 0}summary{cursor:pointer}
            @media (max-width:600px){body{font-size:14px;padding:6px}td,th{padding:2px 4px}}
            @media print{body{max-width:none}.banner,.status.bad{-webkit-print-color-adjust:exact;print-color-adjust:exact}details{display:block}h2{break-after:avoid}svg.chart,table{break-inside:avoid}}
            """;
}
