package org.mohge.costmodel.parallel;

import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.spec.Require;

/**
 * Scenario section {@code precision}: a {@code recipe} and/or per-class dtypes that override it.
 * {@code gemm}: linear layers (projections, FFNs, experts, LM head kept bf16 by the FP8 recipes);
 * {@code attention}: the attention core; {@code dispatch} / {@code combine}: the MoE all-to-alls;
 * {@code params}, {@code grads}: weights and main gradients as held; {@code optimizerState}: Adam's
 * m and v (the master copy is always fp32).
 */
public record PrecisionSpec(PrecisionRecipe recipe, DType gemm, DType attention, DType dispatch, DType combine,
                            DType params, DType grads, DType optimizerState) {

    public PrecisionSpec {
        recipe = Require.orDefault(recipe, PrecisionRecipe.BF16);
    }

    /** No section: bf16 recipe with the model's dtype for GEMMs and weights. */
    public static PrecisionSpec forModelDtype(DType modelDtype) {
        return new PrecisionSpec(PrecisionRecipe.BF16, modelDtype, null, null, null, modelDtype, null, null);
    }

    /** Every class resolved: the override where given, else the recipe's choice (dispatched by DeepEP). */
    public Precision resolve() {
        return resolve(TokenDispatcher.DEEPEP);
    }

    /**
     * Every class resolved: the override where given, else the recipe's choice. Megatron's
     * all-to-all dispatcher sends the bf16 activations whatever the recipe (TE quantizes them
     * inside the expert GEMMs); DeepEP sends the recipe's dispatch dtype.
     */
    public Precision resolve(TokenDispatcher dispatcher) {
        DType recipeDispatch = dispatcher == TokenDispatcher.ALLTOALL ? DType.BF16 : recipe.dispatch();
        return new Precision(recipe,
                Require.orDefault(gemm, recipe.gemm()),
                Require.orDefault(attention, DType.BF16),
                Require.orDefault(dispatch, recipeDispatch),
                Require.orDefault(combine, DType.BF16),
                Require.orDefault(params, DType.BF16),
                Require.orDefault(grads, DType.FP32),
                Require.orDefault(optimizerState, DType.FP32));
    }
}
