package org.mohge.gpu.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * The expert stage of a layer as two grouped-GEMM launches (gate/up with the activation, then
 * down) over any list of slot experts whose rows lie consecutively in the permuted input.
 */
final class ExpertStage {
    private final WeightLayout layout;
    private final DeviceWeights weights;
    private final ScratchBuffers buffers;
    private final KernelLauncher launcher;

    ExpertStage(WeightLayout layout, DeviceWeights weights, ScratchBuffers buffers, KernelLauncher launcher) {
        this.layout = layout;
        this.weights = weights;
        this.buffers = buffers;
        this.launcher = launcher;
    }

    /** Both launches, planned and uploaded; {@code flops} per slot expert apportions the stage's time. */
    record Plan(GroupedGemmPlan first, GroupedGemmPlan second, CUdeviceptr desc1, CUdeviceptr tiles1,
                CUdeviceptr desc2, CUdeviceptr tiles2, CUdeviceptr h, double[] flops) {
    }

    /** Plans the two launches for the given slot experts and their row counts (rows consecutive in that order). */
    Plan prepare(int[] slotExperts, int[] rows) {
        long[] rowOff = new long[slotExperts.length + 1];
        for (int i = 0; i < slotExperts.length; i++) {
            rowOff[i + 1] = rowOff[i] + rows[i];
        }
        long[] hOff = layout.hiddenOffsets(slotExperts, rows);
        GroupedGemmPlan first = GroupedGemmPlan.of(layout.gateUpDescs(slotExperts, rows, rowOff, hOff),
                layout.gateUpBlockCols());
        GroupedGemmPlan second = GroupedGemmPlan.of(layout.downDescs(slotExperts, rows, rowOff, hOff),
                GroupedGemmPlan.BN_WIDE);
        CUdeviceptr h = buffers.get("h", hOff[slotExperts.length] * 2);
        CUdeviceptr desc1 = buffers.upload("desc1", first.packedDescs());
        CUdeviceptr tiles1 = buffers.upload("tiles1", first.tiles());
        CUdeviceptr desc2 = buffers.upload("desc2", second.packedDescs());
        CUdeviceptr tiles2 = buffers.upload("tiles2", second.tiles());
        double[] flops = new double[slotExperts.length];
        for (int i = 0; i < slotExperts.length; i++) {
            flops[i] = first.descs().get(i).flops() * (layout.gateOffset(slotExperts[i]) >= 0 ? 2 : 1)
                    + second.descs().get(i).flops();
        }
        return new Plan(first, second, desc1, tiles1, desc2, tiles2, h, flops);
    }

    /** Launches a planned stage: A = xp (bf16 permuted rows), C = yp (fp32). */
    void launch(Plan p, CUdeviceptr xp, CUdeviceptr yp) {
        if (p.first().tileCount() > 0) {
            launcher.launch(layout.gateUpKernel(), p.first().tileCount(), 1, 256, 1, p.desc1(), p.tiles1(), xp,
                    weights.arena, p.h());
            launcher.launch("grouped_gemm_plain", p.second().tileCount(), 1, 256, 1, p.desc2(), p.tiles2(), p.h(),
                    weights.arena, yp);
        }
    }
}
