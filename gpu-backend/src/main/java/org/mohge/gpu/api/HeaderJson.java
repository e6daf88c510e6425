package org.mohge.gpu.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for safetensors headers: objects, arrays, strings, numbers, true/false/null.
 * gpu-backend stays free of a JSON library; every malformed or truncated header is an
 * {@link IOException} naming the character position, never an index exception.
 */
final class HeaderJson {
    private final String s;
    private int i;

    HeaderJson(String s) {
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
            if (peek() == '}') {
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
                if (peek() == ',') {
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
            if (peek() == ']') {
                i++;
                return l;
            }
            while (true) {
                l.add(value());
                ws();
                if (peek() == ',') {
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
        try {
            return num.matches("-?\\d+") ? (Number) Long.valueOf(num) : (Number) Double.valueOf(num);
        } catch (NumberFormatException e) {
            throw error("bad number '" + num + "'");
        }
    }

    /** The next character, or 0 at the end (so a truncated header fails in {@link #expect}). */
    private char peek() {
        return i < s.length() ? s.charAt(i) : 0;
    }

    private char unicodeEscape() throws IOException {
        if (i + 4 > s.length()) {
            throw error("truncated \\u escape");
        }
        try {
            char c = (char) Integer.parseInt(s.substring(i, i + 4), 16);
            i += 4;
            return c;
        } catch (NumberFormatException e) {
            throw error("bad \\u escape");
        }
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
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        sb.append(unicodeEscape());
                    }
                    default -> sb.append(e);
                }
            } else {
                sb.append(c);
            }
        }
    }
}
