package org.mohge.cli.study;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mohge.cli.scenario.OutputSpec;
import org.mohge.costmodel.spec.Require;

/** A comparison study file: {@code {"name": ..., "compare": ["a.json", {"scenario": "b.json", ...}]}}. */
public record StudySpec(@JsonProperty(required = true) String name, String description,
                        @JsonProperty(required = true) List<CompareEntry> compare, OutputSpec output) {
    public StudySpec {
        OutputSpec.requireFolderName(name);
        compare = Require.nonEmpty(compare, "compare");
        Map<String, Integer> labels = new HashMap<>();
        for (int i = 0; i < compare.size(); i++) {
            String label = compare.get(i) == null ? null : compare.get(i).label();
            Integer first = label == null ? null : labels.putIfAbsent(label, i);
            Require.check(first == null, "compare[" + i + "].label", "'" + label + "' repeats compare[" + first
                    + "].label; give each design its own label (the report's rows are named by it)");
        }
        output = Require.orDefault(output, OutputSpec.defaults());
    }
}
