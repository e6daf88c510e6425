package org.mohge.costmodel.spec;

import java.util.List;
import java.util.Objects;

/** Small validation helpers for compact constructors; each failure names the field. */
public final class Require {
    private Require() {
    }

    public static <T> T present(T value, String field) {
        if (value == null) {
            throw new SpecViolation(field, "is required");
        }
        return value;
    }

    public static int positive(int value, String field) {
        if (value <= 0) {
            throw new SpecViolation(field, "must be > 0, got " + value);
        }
        return value;
    }

    public static long positive(long value, String field) {
        if (value <= 0) {
            throw new SpecViolation(field, "must be > 0, got " + value);
        }
        return value;
    }

    public static double positive(double value, String field) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new SpecViolation(field, "must be > 0, got " + value);
        }
        return value;
    }

    public static int nonNegative(int value, String field) {
        if (value < 0) {
            throw new SpecViolation(field, "must be >= 0, got " + value);
        }
        return value;
    }

    public static double nonNegative(double value, String field) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new SpecViolation(field, "must be >= 0, got " + value);
        }
        return value;
    }

    public static double inRange(double value, double min, double max, String field) {
        if (!(value >= min && value <= max)) {
            throw new SpecViolation(field, "must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    public static <T> List<T> nonEmpty(List<T> values, String field) {
        present(values, field);
        if (values.isEmpty()) {
            throw new SpecViolation(field, "must not be empty");
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new SpecViolation(field + "[" + i + "]", "must not be null");
            }
        }
        return List.copyOf(values);
    }

    public static void check(boolean condition, String field, String rule) {
        if (!condition) {
            throw new SpecViolation(field, rule);
        }
    }

    public static String text(String value, String field) {
        present(value, field);
        if (value.isBlank()) {
            throw new SpecViolation(field, "must not be blank");
        }
        return value;
    }

    /**
     * The hidden size of shared experts: required (> 0) when there are shared experts, 0 when there
     * are none.
     */
    public static int sharedExpertHidden(int sharedExperts, int sharedExpertHidden) {
        nonNegative(sharedExperts, "sharedExperts");
        if (sharedExperts == 0) {
            return 0;
        }
        check(sharedExpertHidden != 0, "sharedExpertHidden", "must be > 0 when sharedExperts > 0 (it is missing or 0)");
        return positive(sharedExpertHidden, "sharedExpertHidden");
    }

    /** Null-safe default for optional boxed values. */
    public static <T> T orDefault(T value, T fallback) {
        return Objects.requireNonNullElse(value, fallback);
    }
}
