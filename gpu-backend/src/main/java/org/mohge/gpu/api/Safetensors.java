package org.mohge.gpu.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Minimal reader/writer of the safetensors format (https://github.com/huggingface/safetensors):
 * 8-byte little-endian header length N, N bytes of JSON header
 * {@code {"name": {"dtype": "F32", "shape": [r, c], "data_offsets": [begin, end]}, "__metadata__": {...}}}
 * padded with spaces to a multiple of 8, then the raw little-endian tensor bytes. Writes F32 2-D
 * tensors; reads F32 and BF16 tensors of rank 1 or 2 into {@link FloatMatrix} (rank 1 as one row).
 * Tensors must fit a Java array (under 2^31 elements each).
 */
public final class Safetensors {
    private Safetensors() {
    }

    /** Writes {@code tensors} (in map order) and string metadata to {@code file}, via a temp file moved into place. */
    public static void write(Path file, Map<String, FloatMatrix> tensors, Map<String, String> metadata) throws IOException {
        StringBuilder h = new StringBuilder("{");
        h.append("\"__metadata__\":{");
        int i = 0;
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            h.append(i++ > 0 ? "," : "").append(quote(m.getKey())).append(':').append(quote(m.getValue()));
        }
        h.append('}');
        long offset = 0;
        for (Map.Entry<String, FloatMatrix> t : tensors.entrySet()) {
            FloatMatrix m = t.getValue();
            long bytes = (long) m.data().length * 4;
            h.append(',').append(quote(t.getKey())).append(String.format(Locale.ROOT,
                    ":{\"dtype\":\"F32\",\"shape\":[%d,%d],\"data_offsets\":[%d,%d]}", m.rows(), m.cols(), offset,
                    offset + bytes));
            offset += bytes;
        }
        h.append('}');
        while ((h.length() + 8) % 8 != 0) {
            h.append(' ');
        }
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            out.write(len.array());
            out.write(header);
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (FloatMatrix m : tensors.values()) {
                for (float v : m.data()) {
                    if (!buf.hasRemaining()) {
                        out.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    buf.putFloat(v);
                }
            }
            out.write(buf.array(), 0, buf.position());
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** All tensors of a file, in header order. */
    public static Map<String, FloatMatrix> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long n = lenBuf.getLong(0);
            if (n <= 0 || n > 100_000_000) {
                throw new IOException(file + ": not a safetensors file (header length " + n + ")");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8);
            Object parsed = new Json(new String(hb.array(), StandardCharsets.UTF_8)).parse();
            if (!(parsed instanceof Map<?, ?> header)) {
                throw new IOException(file + ": header is not a JSON object");
            }
            Map<String, FloatMatrix> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : header.entrySet()) {
                String name = (String) e.getKey();
                if (name.equals("__metadata__")) {
                    continue;
                }
                Map<?, ?> info = (Map<?, ?>) e.getValue();
                String dtype = (String) info.get("dtype");
                List<?> shape = (List<?>) info.get("shape");
                List<?> offs = (List<?>) info.get("data_offsets");
                int rows = shape.size() == 2 ? ((Number) shape.get(0)).intValue() : 1;
                int cols = ((Number) shape.get(shape.size() - 1)).intValue();
                long begin = ((Number) offs.get(0)).longValue();
                long end = ((Number) offs.get(1)).longValue();
                int width = switch (dtype) {
                    case "F32" -> 4;
                    case "BF16" -> 2;
                    default -> throw new IOException(name + ": dtype " + dtype + " is not supported (F32, BF16)");
                };
                if (shape.size() < 1 || shape.size() > 2 || end - begin != (long) rows * cols * width) {
                    throw new IOException(name + ": shape " + shape + " does not match data_offsets " + offs);
                }
                ByteBuffer data = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, data, 8 + n + begin);
                float[] values = new float[rows * cols];
                for (int i = 0; i < values.length; i++) {
                    values[i] = width == 4 ? data.getFloat(i * 4) : Float.intBitsToFloat((data.getShort(i * 2) & 0xffff) << 16);
                }
                out.put(name, new FloatMatrix(rows, cols, values));
            }
            return out;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += r;
        }
        buf.flip();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** Just enough JSON for safetensors headers: objects, arrays, strings, numbers, true/false/null. */
    static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object parse() throws IOException {
            Object v = value();
            ws();
            if (i != s.length()) {
                throw error("trailing characters");
            }
            return v;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private IOException error(String what) {
            return new IOException("bad safetensors header at " + i + ": " + what);
        }

        private Object value() throws IOException {
            ws();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    ws();
                    String key = string();
                    ws();
                    expect(':');
                    m.put(key, value());
                    ws();
                    if (s.charAt(i) == ',') {
                        i++;
                    } else {
                        expect('}');
                        return m;
                    }
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    ws();
                    if (s.charAt(i) == ',') {
                        i++;
                    } else {
                        expect(']');
                        return l;
                    }
                }
            }
            if (c == '"') {
                return string();
            }
            for (String lit : new String[] {"true", "false", "null"}) {
                if (s.startsWith(lit, i)) {
                    i += lit.length();
                    return lit.equals("null") ? null : Boolean.valueOf(lit);
                }
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (start == i) {
                throw error("unexpected '" + c + "'");
            }
            String num = s.substring(start, i);
            return num.matches("-?\\d+") ? (Number) Long.valueOf(num) : (Number) Double.valueOf(num);
        }

        private void expect(char c) throws IOException {
            if (i >= s.length() || s.charAt(i) != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private String string() throws IOException {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'r' -> sb.append('\r');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'u' -> {
                            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> sb.append(e);
                    }
                } else {
                    sb.append(c);
                }
            }
        }
    }
}
