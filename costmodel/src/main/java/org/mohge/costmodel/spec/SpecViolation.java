package org.mohge.costmodel.spec;

/**
 * A spec value broke a rule. {@code field} is the path of the offending value relative to the
 * object being built (for example {@code expertHidden} or {@code groups[2].expertHidden}); the
 * scenario loader prefixes it with the object's own JSON path, so users read one line such as
 * {@code model.moe.groups[2].expertHidden must be > 0, got -5}.
 */
public final class SpecViolation extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String rule;

    public SpecViolation(String field, String rule) {
        super(field + " " + rule);
        this.field = field;
        this.rule = rule;
    }

    public String field() {
        return field;
    }

    public String rule() {
        return rule;
    }
}
