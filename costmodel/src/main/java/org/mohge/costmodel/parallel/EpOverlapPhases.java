package org.mohge.costmodel.parallel;

/**
 * One MoE layer under Megatron's expert-parallel overlap (overlap_moe_expert_parallel_comm): the
 * forward of one micro-batch and the backward of another run as four pairs, each exchange on the
 * communication stream beside one compute piece on the compute stream, in the order of
 * Megatron-Core's {@code TransformerLayerSchedulePlan.run}:
 * <pre>
 *   comm: combine bwd      | dispatch fwd -> dispatch bwd | combine fwd
 *   comp: pre-dispatch fwd | mlp bwd      -> mlp fwd      | pre-dispatch bwd
 * </pre>
 * The dispatch forward must land before the forward's experts start and the backward's experts
 * must end before the dispatch gradient leaves, so the middle phase takes
 * max(dispatch fwd, mlp bwd) + max(dispatch bwd, mlp fwd). An exchange hides only behind its
 * partner: what it runs past that partner is exposed and counted to the pass it belongs to.
 *
 * <p>The exchange kernels hold a share {@code s} of the GPU's SMs while they run, so the compute
 * beside them runs on the rest at 1 - s of its speed: a pair of exchange X and compute C takes
 * max(X, C + s X) (the compute loses s X of work to the exchange's SMs, and finishes alone if it
 * outlasts it). What the pair adds to the compute is max(X - C, s X).
 *
 * @param preDispatchForwardUs attention, pre-MLP norm, router and permute of the forward
 * @param mlpForwardUs the experts of the forward, with their regrouping and quantization
 * @param preDispatchBackwardUs the backward of the pre-dispatch piece
 * @param mlpBackwardUs the backward of the experts, weight gradients included
 * @param dispatchUs forward dispatch exchange
 * @param combineUs forward combine exchange
 * @param combineBackwardUs the combine's gradient exchange
 * @param dispatchBackwardUs the dispatch's gradient exchange
 * @param commSmShare the share of the SMs the exchange kernels hold (0 where they take none)
 */
record EpOverlapPhases(double preDispatchForwardUs, double mlpForwardUs, double preDispatchBackwardUs,
                       double mlpBackwardUs, double dispatchUs, double combineUs, double combineBackwardUs,
                       double dispatchBackwardUs, double commSmShare) {

    EpOverlapPhases {
        if (!(commSmShare >= 0 && commSmShare < 1)) {
            throw new IllegalArgumentException("commSmShare must be in [0, 1), got " + commSmShare);
        }
    }

    /** The forward's dispatch beyond the experts' backward it runs beside. */
    double exposedDispatchUs() {
        return excess(dispatchUs, mlpBackwardUs);
    }

    /** The forward's combine beyond the pre-dispatch backward it runs beside. */
    double exposedCombineUs() {
        return excess(combineUs, preDispatchBackwardUs);
    }

    /** The backward's exchanges beyond the forward compute they run beside. */
    double exposedBackwardUs() {
        return excess(combineBackwardUs, preDispatchForwardUs) + excess(dispatchBackwardUs, mlpForwardUs);
    }

    private double excess(double exchangeUs, double coverUs) {
        return Math.max(exchangeUs - coverUs, commSmShare * exchangeUs);
    }
}
