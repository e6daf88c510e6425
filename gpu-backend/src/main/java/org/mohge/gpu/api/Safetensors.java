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
        // A fresh sibling created with default permissions, so the file follows the umask.
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime());
        // Created here (CREATE_NEW) before the try: a name someone else holds fails the write and is
        // never deleted by it.
        OutputStream raw = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            try (OutputStream out = new java.io.BufferedOutputStream(raw, 1 << 20)) {
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
        } finally {
            Files.deleteIfExists(tmp);
        }
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
            Object parsed = new HeaderJson(new String(hb.array(), StandardCharsets.UTF_8)).parse();
            if (!(parsed instanceof Map<?, ?> header)) {
                throw new IOException(file + ": header is not a JSON object");
            }
            Map<String, FloatMatrix> out = new LinkedHashMap<>();
            long dataBytes = ch.size() - 8 - n;
            for (Map.Entry<?, ?> e : header.entrySet()) {
                String name = (String) e.getKey();
                if (name.equals("__metadata__")) {
                    continue;
                }
                Entry t = Entry.of(file, name, e.getValue(), dataBytes);
                int rows = t.rows();
                int cols = t.cols();
                int width = t.width();
                long begin = t.begin();
                ByteBuffer data = ByteBuffer.allocate(rows * cols * width).order(ByteOrder.LITTLE_ENDIAN);
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

    /** One tensor's header entry, every field checked before it is used; errors name the file and tensor. */
    private record Entry(int rows, int cols, int width, long begin) {
        static Entry of(Path file, String name, Object value, long dataBytes) throws IOException {
            String where = file + ": tensor '" + name + "'";
            if (!(value instanceof Map<?, ?> info)) {
                throw new IOException(where + " must be a JSON object");
            }
            if (!(info.get("dtype") instanceof String dtype)) {
                throw new IOException(where + ": dtype must be a string");
            }
            int width = switch (dtype) {
                case "F32" -> 4;
                case "BF16" -> 2;
                default -> throw new IOException(where + ": dtype " + dtype + " is not supported (F32, BF16)");
            };
            if (!(info.get("shape") instanceof List<?> shape) || shape.isEmpty() || shape.size() > 2) {
                throw new IOException(where + ": shape must be a list of 1 or 2 sizes, got " + info.get("shape"));
            }
            long[] dims = new long[shape.size()];
            for (int i = 0; i < dims.length; i++) {
                if (!(shape.get(i) instanceof Number d) || d.doubleValue() != Math.rint(d.doubleValue())
                        || d.longValue() < 0 || d.longValue() > Integer.MAX_VALUE) {
                    throw new IOException(where + ": shape[" + i + "] must be a whole number from 0 to "
                            + Integer.MAX_VALUE + ", got " + shape.get(i));
                }
                dims[i] = d.longValue();
            }
            long rows = dims.length == 2 ? dims[0] : 1;
            long cols = dims[dims.length - 1];
            if (rows * cols > Integer.MAX_VALUE - 8) {
                throw new IOException(where + ": " + rows + " x " + cols + " elements do not fit one Java array");
            }
            if (!(info.get("data_offsets") instanceof List<?> offs) || offs.size() != 2
                    || !(offs.get(0) instanceof Number b) || !(offs.get(1) instanceof Number en)) {
                throw new IOException(where + ": data_offsets must be [begin, end], got " + info.get("data_offsets"));
            }
            long begin = b.longValue();
            long end = en.longValue();
            if (begin < 0 || end < begin || end > dataBytes) {
                throw new IOException(where + ": data_offsets [" + begin + ", " + end + "] must lie within the "
                        + dataBytes + " data bytes of the file");
            }
            if (end - begin != rows * cols * width) {
                throw new IOException(where + ": shape " + shape + " (" + dtype + ") needs " + rows * cols * width
                        + " bytes, data_offsets give " + (end - begin));
            }
            return new Entry((int) rows, (int) cols, width, begin);
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
}
