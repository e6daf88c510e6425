package org.mohge.costmodel.arch;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.mohge.costmodel.spec.Require;

/**
 * A decoder-only transformer whose FFNs are MoE layers, except the first {@code denseLayers}
 * layers, which carry a dense FFN of hidden size {@code denseFfnHidden}. Every layer has two
 * RMSNorms (before attention and before the FFN), and the model ends with a final RMSNorm.
 */
public record ModelSpec(@JsonProperty(required = true) int hiddenSize, @JsonProperty(required = true) int layers, int denseLayers, int denseFfnHidden, @JsonProperty(required = true) int vocabSize,
                        boolean tieEmbeddings, DType dtype, @JsonProperty(required = true) AttentionSpec attention, @JsonProperty(required = true) MoeLayerSpec moe) {

    public ModelSpec {
        Require.positive(hiddenSize, "hiddenSize");
        Require.positive(layers, "layers");
        Require.nonNegative(denseLayers, "denseLayers");
        Require.check(denseLayers < layers, "denseLayers", "must be < layers (" + layers + "), got " + denseLayers);
        if (denseLayers > 0) {
            Require.check(denseFfnHidden != 0, "denseFfnHidden", "is required when denseLayers > 0");
            Require.positive(denseFfnHidden, "denseFfnHidden");
        } else {
            Require.nonNegative(denseFfnHidden, "denseFfnHidden");
        }
        Require.positive(vocabSize, "vocabSize");
        dtype = Require.orDefault(dtype, DType.BF16);
        Require.present(attention, "attention");
        Require.present(moe, "moe");
    }

    public int moeLayers() {
        return layers - denseLayers;
    }

    /** Bytes of one weight or activation value. */
    public int bytesPerValue() {
        return dtype.bytes();
    }
}
