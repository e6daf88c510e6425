package org.mohge.cli.plan;

import java.math.BigDecimal;
import java.util.Locale;

/** Locale-independent number formatting for plan outputs. */
final class Numbers {
    private Numbers() {
    }

    /** A number without exponent or trailing zeros: 2000000, 2.5. */
    static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
