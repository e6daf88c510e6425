package org.mohge.cli.study;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.mohge.costmodel.spec.Require;

/**
 * One design of a comparison study: a scenario file (relative to the study file), and optional
 * overrides of its placement and routing knobs, so one scenario can appear in several variants.
 * Written as a plain path string, or as an object.
 */
public record CompareEntry(@JsonProperty(required = true) String scenario, String label, String placement,
                           Double groupBias, Double intraGroupBalance) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public CompareEntry {
        Require.text(scenario, "scenario");
        if (groupBias != null) {
            Require.nonNegative(groupBias, "groupBias");
        }
        if (intraGroupBalance != null) {
            Require.inRange(intraGroupBalance, 0, 1, "intraGroupBalance");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static CompareEntry of(String scenario) {
        return new CompareEntry(scenario, null, null, null, null);
    }
}
