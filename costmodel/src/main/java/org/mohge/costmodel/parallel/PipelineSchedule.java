package org.mohge.costmodel.parallel;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Pipeline schedules: PipeDream-flush 1F1B, and Megatron's interleaved 1F1B over virtual stages. */
public enum PipelineSchedule {
    @JsonProperty("1f1b") ONE_F_ONE_B("1f1b"),
    @JsonProperty("interleaved") INTERLEAVED("interleaved");

    private final String label;

    PipelineSchedule(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
