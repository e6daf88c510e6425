package org.mohge.cli.study;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.mohge.cli.scenario.OutputSpec;
import org.mohge.costmodel.spec.Require;

/** A comparison study file: {@code {"name": ..., "compare": ["a.json", {"scenario": "b.json", ...}]}}. */
public record StudySpec(@JsonProperty(required = true) String name, String description,
                        @JsonProperty(required = true) List<CompareEntry> compare, OutputSpec output) {
    public StudySpec {
        OutputSpec.requireFolderName(name);
        compare = Require.nonEmpty(compare, "compare");
        output = Require.orDefault(output, OutputSpec.defaults());
    }
}
