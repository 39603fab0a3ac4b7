package lossmeter.reports.html;

import java.util.Locale;

/**
 * A small builder for inline SVG charts. Every piece of text goes through {@link Html#esc}, so a
 * key like {@code </svg><script>} stays text. Each chart carries a title and a description for
 * screen readers, and sizes itself with a viewBox so it scales down on a phone.
 */
final class Svg {
    private final StringBuilder sb = new StringBuilder();

    Svg(String cssClass, int width, int height, String title) {
        sb.append("<svg class=\"chart ").append(Html.esc(cssClass)).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" width=\"").append(width).append("\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">")
                .append("<title>").append(Html.esc(title)).append("</title>");
        // Hatching, so shaded windows differ from the data by texture as well as by colour.
        sb.append("<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">")
                .append("<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" class=\"hatch-line\"/></pattern></defs>");
    }

    private static String n(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e9) return Long.toString((long) d);
        return String.format(Locale.ROOT, "%.1f", d);
    }

    Svg rect(double x, double y, double w, double h, String cls, String tooltip) {
        return rect(x, y, w, h, cls, tooltip, 1);
    }

    Svg rect(double x, double y, double w, double h, String cls, String tooltip, double opacity) {
        sb.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(Math.max(0, w)))
                .append("\" height=\"").append(n(Math.max(0, h))).append("\" class=\"").append(Html.esc(cls)).append('"');
        if (opacity < 1) sb.append(" fill-opacity=\"").append(String.format(Locale.ROOT, "%.2f", opacity)).append('"');
        return close(tooltip);
    }

    Svg line(double x1, double y1, double x2, double y2, String cls) {
        sb.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                .append("\" y2=\"").append(n(y2)).append("\" class=\"").append(Html.esc(cls)).append("\"/>");
        return this;
    }

    Svg circle(double cx, double cy, double r, String cls, String tooltip) {
        sb.append("<circle cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy)).append("\" r=\"").append(n(r))
                .append("\" class=\"").append(Html.esc(cls)).append('"');
        return close(tooltip);
    }

    /** A marker shape centred on (x, y): "diamond", "triangle" or "cross", so outcomes differ by shape, not only colour. */
    Svg marker(String shape, double x, double y, double r, String cls, String tooltip) {
        String d = switch (shape) {
            case "diamond" -> "M" + n(x) + " " + n(y - r) + "L" + n(x + r) + " " + n(y) + "L" + n(x) + " " + n(y + r) + "L" + n(x - r) + " " + n(y) + "Z";
            case "triangle" -> "M" + n(x) + " " + n(y - r) + "L" + n(x + r) + " " + n(y + r) + "L" + n(x - r) + " " + n(y + r) + "Z";
            default -> "M" + n(x - r) + " " + n(y - r) + "L" + n(x + r) + " " + n(y + r) + "M" + n(x + r) + " " + n(y - r) + "L" + n(x - r) + " " + n(y + r);
        };
        sb.append("<path d=\"").append(d).append("\" class=\"").append(Html.esc(cls)).append('"');
        return close(tooltip);
    }

    Svg polyline(double[] xs, double[] ys, String cls) {
        if (xs.length == 0) return this;
        sb.append("<polyline class=\"").append(Html.esc(cls)).append("\" points=\"");
        for (int i = 0; i < xs.length; i++) {
            if (i > 0) sb.append(' ');
            sb.append(n(xs[i])).append(',').append(n(ys[i]));
        }
        sb.append("\"/>");
        return this;
    }

    Svg text(double x, double y, String text, String cls) {
        return text(x, y, text, cls, "start");
    }

    Svg text(double x, double y, String text, String cls, String anchor) {
        sb.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" class=\"").append(Html.esc(cls))
                .append("\" text-anchor=\"").append(Html.esc(anchor)).append("\">").append(Html.esc(text)).append("</text>");
        return this;
    }

    private Svg close(String tooltip) {
        if (tooltip == null) {
            sb.append("/>");
        } else {
            String element = lastElement();
            sb.append("><title>").append(Html.esc(tooltip)).append("</title></").append(element).append('>');
        }
        return this;
    }

    private String lastElement() {
        int lt = sb.lastIndexOf("<");
        int end = lt + 1;
        while (end < sb.length() && Character.isLetter(sb.charAt(end))) end++;
        return sb.substring(lt + 1, end);
    }

    String end() {
        return sb.append("</svg>").toString();
    }
}
