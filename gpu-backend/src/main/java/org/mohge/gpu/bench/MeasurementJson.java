package org.mohge.gpu.bench;

import org.mohge.costmodel.calibration.Measurement;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes measurements as a JSON array (the same layout Jackson gives the {@link Measurement} record),
 * without a JSON library, and as a fixed-width text table.
 */
public final class MeasurementJson {
    private MeasurementJson() {
    }

    public static String toJson(List<Measurement> list) {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < list.size(); i++) {
            Measurement m = list.get(i);
            sb.append("  {\"device\": ").append(quote(m.device()))
                    .append(", \"backend\": ").append(quote(m.backend()))
                    .append(", \"kernel\": ").append(quote(m.kernel()))
                    .append(", \"dtype\": ").append(quote(m.dtype()))
                    .append(", \"shape\": {");
            int j = 0;
            for (Map.Entry<String, Integer> e : m.shape().entrySet()) {
                sb.append(j++ > 0 ? ", " : "").append(quote(e.getKey())).append(": ").append(e.getValue());
            }
            sb.append("}, \"repeats\": ").append(m.repeats())
                    .append(", \"medianUs\": ").append(num(m.medianUs()))
                    .append(", \"minUs\": ").append(num(m.minUs()))
                    .append(", \"flops\": ").append(num(m.flops()))
                    .append(", \"gflops\": ").append(num(m.gflops()))
                    .append(i < list.size() - 1 ? "},\n" : "}\n");
        }
        return sb.append("]\n").toString();
    }

    public static String toTable(List<Measurement> list) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-18s %-6s %-44s %12s %12s %10s%n", "kernel",
                "dtype", "shape", "median us", "min us", "GFLOP/s"));
        for (Measurement m : list) {
            sb.append(String.format(Locale.ROOT, "%-18s %-6s %-44s %12.1f %12.1f %10.2f%n", m.kernel(), m.dtype(),
                    m.shape().toString(), m.medianUs(), m.minUs(), m.gflops()));
        }
        return sb.toString();
    }

    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e")
                .replaceAll("\\.$", "");
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
