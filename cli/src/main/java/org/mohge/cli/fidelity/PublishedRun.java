package org.mohge.cli.fidelity;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.mohge.costmodel.spec.Require;

/**
 * One published training run, as listed in {@code scenarios/published/reference.json}: the
 * scenario file that states its model, layout, batch and precision (relative to the reference
 * file; absent when the scenario format cannot express the model, which {@code notExpressible}
 * then says why), the published throughput and where it was published, and where the model's
 * shape comes from ({@code modelConfig}). {@code modelTflopsPerGpu} may be absent where the
 * source printed only a step time. The published figures
 * stay out of the scenario schema so that a scenario is the same whether or not it was measured.
 */
public record PublishedRun(@JsonProperty(required = true) String model,
                           String scenario,
                           @JsonProperty(required = true) int gpus,
                           @JsonProperty(required = true) String precision,
                           @JsonProperty(required = true) String layout,
                           @JsonProperty(required = true) int globalBatchSize,
                           @JsonProperty(required = true) int microBatchSize,
                           @JsonProperty(required = true) int sequenceLength,
                           @JsonProperty(required = true) double tokensPerSecondPerGpu,
                           Double modelTflopsPerGpu,
                           @JsonProperty(required = true) String source,
                           @JsonProperty(required = true) String modelConfig,
                           String notExpressible) {

    public PublishedRun {
        Require.text(model, "model");
        Require.positive(gpus, "gpus");
        Require.text(precision, "precision");
        Require.text(layout, "layout");
        Require.positive(globalBatchSize, "globalBatchSize");
        Require.positive(microBatchSize, "microBatchSize");
        Require.positive(sequenceLength, "sequenceLength");
        Require.check(tokensPerSecondPerGpu > 0, "tokensPerSecondPerGpu", "must be > 0, got " + tokensPerSecondPerGpu);
        Require.check(modelTflopsPerGpu == null || modelTflopsPerGpu > 0, "modelTflopsPerGpu",
                "must be > 0 where given, got " + modelTflopsPerGpu);
        Require.text(source, "source");
        Require.text(modelConfig, "modelConfig");
        Require.check((scenario == null) != (notExpressible == null), "scenario",
                "give exactly one of scenario (a file) and notExpressible (why there is none)");
    }

    /** Whether a scenario prices this run. */
    public boolean priced() {
        return scenario != null;
    }
}
