package org.mohge.costmodel.arch;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.mohge.costmodel.spec.Require;

/**
 * A decoder-only transformer whose FFNs are MoE layers, except the first {@code denseLayers}
 * layers, which carry a dense FFN of hidden size {@code denseFfnHidden}. Every layer has two
 * RMSNorms (before attention and before the FFN), and the model ends with a final RMSNorm.
 *
 * <p>A model without a {@code moe} section is dense: every layer carries the dense FFN
 * ({@code denseLayers} defaults to, and must equal, {@code layers}), {@link #moe()} is null and
 * {@link #isDense()} is true. Dense models are the baseline a MoE design is weighed against.
 * {@code denseActivation} is the dense FFN's flavour; it defaults to the MoE experts' activation,
 * or SwiGLU (the Llama family's) for a dense model.
 */
public record ModelSpec(@JsonProperty(required = true) int hiddenSize, @JsonProperty(required = true) int layers, int denseLayers, int denseFfnHidden, @JsonProperty(required = true) int vocabSize,
                        boolean tieEmbeddings, DType dtype, @JsonProperty(required = true) AttentionSpec attention, MoeLayerSpec moe,
                        Activation denseActivation) {

    public ModelSpec {
        Require.positive(hiddenSize, "hiddenSize");
        Require.positive(layers, "layers");
        Require.nonNegative(denseLayers, "denseLayers");
        if (moe == null) {
            Require.check(denseLayers == 0 || denseLayers == layers, "denseLayers",
                    "must equal layers (" + layers + ") in a dense model (no moe section), got " + denseLayers);
            denseLayers = layers;
        } else {
            Require.check(denseLayers < layers, "denseLayers", "must be < layers (" + layers + "), got " + denseLayers);
        }
        if (denseLayers > 0) {
            Require.check(denseFfnHidden != 0, "denseFfnHidden", moe == null
                    ? "is required in a dense model (no moe section)" : "is required when denseLayers > 0");
            Require.positive(denseFfnHidden, "denseFfnHidden");
        } else {
            Require.nonNegative(denseFfnHidden, "denseFfnHidden");
        }
        Require.positive(vocabSize, "vocabSize");
        dtype = Require.orDefault(dtype, DType.BF16);
        Require.present(attention, "attention");
        denseActivation = Require.orDefault(denseActivation, moe == null ? Activation.SWIGLU : moe.activation());
    }

    /** A model without an explicit dense-FFN activation (the MoE experts' one, or SwiGLU when dense). */
    public ModelSpec(int hiddenSize, int layers, int denseLayers, int denseFfnHidden, int vocabSize,
                     boolean tieEmbeddings, DType dtype, AttentionSpec attention, MoeLayerSpec moe) {
        this(hiddenSize, layers, denseLayers, denseFfnHidden, vocabSize, tieEmbeddings, dtype, attention, moe, null);
    }

    public int moeLayers() {
        return layers - denseLayers;
    }

    /** True for a model without MoE layers (no {@code moe} section). */
    public boolean isDense() {
        return moe == null;
    }

    /** Bytes of one weight or activation value. */
    public int bytesPerValue() {
        return dtype.bytes();
    }
}
