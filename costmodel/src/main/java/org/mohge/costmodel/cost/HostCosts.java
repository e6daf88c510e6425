package org.mohge.costmodel.cost;

import org.mohge.costmodel.spec.Require;

/**
 * What the host pays to put work on the GPU, in us: {@code usPerOp} for an operation the training
 * framework issues from Python (module call, autograd, dispatcher and the kernel launch), and
 * {@code usPerLoopKernel} for a kernel an extension launches in its own C++ loop inside one such
 * operation (Transformer Engine's per-expert GEMMs and quantize kernels), which pays the launch
 * only. {@link #NONE} where a cost model does not price the host.
 */
public record HostCosts(double usPerOp, double usPerLoopKernel) {
    public static final HostCosts NONE = new HostCosts(0, 0);

    public HostCosts {
        Require.nonNegative(usPerOp, "host usPerOp");
        Require.nonNegative(usPerLoopKernel, "host usPerLoopKernel");
    }

    /** Host time to issue {@code ops} framework operations and {@code loopKernels} extension kernels. */
    public double issueUs(int ops, int loopKernels) {
        return ops * usPerOp + loopKernels * usPerLoopKernel;
    }

    public boolean priced() {
        return usPerOp > 0 || usPerLoopKernel > 0;
    }
}
