package org.mohge.costmodel.parallel;

import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.MoeLayerSpec;

/**
 * What the host issues per transformer layer and micro-batch when Megatron-Core with Transformer
 * Engine trains the layer eagerly (no CUDA graphs), and where it waits for the GPU. Each count is
 * kernels (and collectives, copies, events) one pass issues, structural in the layer's GEMMs, the
 * experts on a rank {@code E} and the recipe's kernels per quantized GEMM input {@code q}:
 *
 * <table>
 *   <caption>Host-issued operations per layer (Megatron-LM d98e8a6, TransformerEngine d0067d0)</caption>
 *   <tr><th>piece</th><th>forward</th><th>backward</th><th>from</th></tr>
 *   <tr><td>attention block</td><td>{@value #ATTENTION_FIXED_FWD} + 2q</td><td>{@value #ATTENTION_FIXED_BWD}
 *       + 2q</td><td>transformer_layer.py / attention.py: input norm, QKV and output GEMMs (each its
 *       input quantized), QK-norm x2, RoPE x2, core attention, residual adds, pre-MLP norm; backward:
 *       dgrad and wgrad per GEMM, grad-output quantize, norms, RoPE, FlashAttention backward and its
 *       preprocess</td></tr>
 *   <tr><td>router</td><td>{@value #ROUTER_FWD}</td><td>{@value #ROUTER_BWD}</td><td>router.py
 *       TopKRouter.forward: gating GEMM, fused score/top-k, routing map, aux-loss token counts, their
 *       all-reduce, loss product and sum, MoEAuxLossAutoScaler</td></tr>
 *   <tr><td>dispatch metadata</td><td>{@value #PREPROCESS_FWD}</td><td>0</td><td>token_dispatcher.py
 *       MoEAlltoAllTokenDispatcher.preprocess: routing_map.sum and cast, input_splits, all-gather of the
 *       counts over the TP x EP group, local slice, per-rank and per-TP sums, per-local-expert sum</td></tr>
 *   <tr><td>device-to-host copy</td><td>{@value #DTOH_FWD}, 1 sync</td><td>0</td><td>token_dispatcher.py
 *       _maybe_dtoh_and_synchronize: five copies on the side stream, wait_stream, record_event; then
 *       d2h_event.synchronize() at cuda_sync_point "before_ep_alltoall" (EP or TP &gt; 1) or
 *       "before_finish": the host waits for the GPU once per MoE layer forward; the backward reuses
 *       the splits already on the host</td></tr>
 *   <tr><td>permute, all-to-alls, sort</td><td>{@value #EXCHANGE_FWD}</td><td>{@value #EXCHANGE_BWD}</td>
 *       <td>moe_utils.py permute / sort_chunks_by_idxs / unpermute (fused), token_dispatcher.py
 *       token_dispatch (tokens and probs) and token_combine</td></tr>
 *   <tr><td>routed experts</td><td>2E(1 + q) + {@value #ACTIVATION_FWD}</td><td>2E(2 + q) +
 *       {@value #ACTIVATION_BWD}</td><td>experts.py TEGroupedMLP: fc1 and fc2 are TE GroupedLinear
 *       (grouped_linear.py _GroupedLinear.forward: split_quantize of each expert's input, then
 *       general_grouped_gemm, one cuBLAS GEMM per expert; backward: grad-output split_quantize, dgrad and
 *       wgrad GEMM per expert), the probability-weighted activation between them</td></tr>
 *   <tr><td>shared experts, dense FFN</td><td>2(1 + q) + 1 each</td><td>2(2 + q) + 1 each</td>
 *       <td>shared_experts.py / mlp.py: fc1, activation, fc2</td></tr>
 * </table>
 *
 * <p>{@code q}: Float8CurrentScaling quantizes a tensor with three kernels (quantizer.cpp: amax,
 * scale from amax, cast); blockwise and MX recipes with one (scales computed in the cast); bf16 with
 * none. Weights are quantized once per step (TE caches them over micro-batches) and are left out.
 *
 * <p>The counts are split by piece, in the order the layer runs them (attention; the router with
 * the dispatch metadata and the device-to-host copy, after which the host waits; the dispatch side
 * of the exchange; the experts; the combine side), and by who launches them: the quantize kernels
 * and the per-expert GEMMs are launched by Transformer Engine's C++ loops ({@code loopKernels}),
 * everything else is an operation issued from Python ({@code ops}; the expert piece's two
 * GroupedLinear calls are two of them).
 */
public record HostSchedule(Issue attentionForward, Issue attentionBackward, Issue denseFfnForward,
                           Issue denseFfnBackward, Issue routingForward, Issue routingBackward,
                           Issue dispatchForward, Issue dispatchBackward, Issue expertsForward,
                           Issue expertsBackward, Issue combineForward, Issue combineBackward) {
    static final int ATTENTION_FIXED_FWD = 10;
    static final int ATTENTION_FIXED_BWD = 13;
    static final int ROUTER_FWD = 8;
    static final int ROUTER_BWD = 6;
    static final int PREPROCESS_FWD = 9;
    static final int DTOH_FWD = 7;
    static final int EXCHANGE_FWD = 9;
    static final int EXCHANGE_BWD = 7;
    static final int ACTIVATION_FWD = 2;
    static final int ACTIVATION_BWD = 2;
    /** The exchange's operations on the dispatch side (permute, sort, the token and prob all-to-alls). */
    static final int DISPATCH_SHARE_FWD = 5;
    static final int DISPATCH_SHARE_BWD = 4;

    /**
     * What one piece makes the host issue: {@code ops} framework operations from Python and
     * {@code loopKernels} kernels an extension launches in its own C++ loop (Transformer Engine's
     * quantize kernels and its per-expert GEMMs).
     */
    public record Issue(int ops, int loopKernels) {
        static final Issue NONE = new Issue(0, 0);

        public int total() {
            return ops + loopKernels;
        }

        Issue plus(Issue o) {
            return new Issue(ops + o.ops, loopKernels + o.loopKernels);
        }
    }

    /** Megatron-Core's layer with the alltoall dispatcher and TE modules, eager, under this layout and recipe. */
    public static HostSchedule megatronCore(ModelSpec model, ParallelLayout layout, Precision precision) {
        int q = quantizeKernels(precision.recipe());
        MoeLayerSpec moe = model.moe(); // null for a dense model: no MoE layer uses the MoE counts
        int experts = moe == null ? 0 : moe.expertCount() / layout.ep();
        int shared = moe == null ? 0 : moe.sharedExperts();
        // An FFN (dense, or a shared expert): fc1 and fc2 each one TE module call with q quantize
        // kernels; the activation one more operation; backward dgrad + wgrad per GEMM.
        Issue mlpFwd = new Issue(3, 2 * q);
        Issue mlpBwd = new Issue(5, 2 * q);
        Issue sharedFwd = new Issue(shared * mlpFwd.ops(), shared * mlpFwd.loopKernels());
        Issue sharedBwd = new Issue(shared * mlpBwd.ops(), shared * mlpBwd.loopKernels());
        return new HostSchedule(
                new Issue(ATTENTION_FIXED_FWD, 2 * q), new Issue(ATTENTION_FIXED_BWD, 2 * q), mlpFwd, mlpBwd,
                new Issue(ROUTER_FWD + PREPROCESS_FWD + DTOH_FWD, 0), new Issue(ROUTER_BWD, 0),
                new Issue(DISPATCH_SHARE_FWD, 0), new Issue(DISPATCH_SHARE_BWD, 0),
                new Issue(ACTIVATION_FWD + 2, 2 * experts * (1 + q)).plus(sharedFwd),
                new Issue(ACTIVATION_BWD + 2, 2 * experts * (2 + q)).plus(sharedBwd),
                new Issue(EXCHANGE_FWD - DISPATCH_SHARE_FWD, 0), new Issue(EXCHANGE_BWD - DISPATCH_SHARE_BWD, 0));
    }

    /** Kernels that quantize one GEMM input under the recipe. */
    static int quantizeKernels(PrecisionRecipe recipe) {
        return switch (recipe) {
            case BF16 -> 0;
            case FP8_TENSORWISE -> 3;
            case FP8_BLOCKWISE, MXFP8 -> 1;
        };
    }
}
