package org.mohge.sim;

import org.mohge.costmodel.spec.Require;

/**
 * Options of the step simulation (proposed scenario section {@code simulation}):
 * {@code dualBatchOverlap} (default false) splits every micro-batch into two halves that run at
 * the same time, so one half's all-to-alls overlap the other's compute (DeepSeek-V3's dual
 * micro-batch overlap); {@code checkMemory} (default true) fails the run when the placement puts
 * more bytes on a GPU than it has.
 */
public record SimulationSpec(Boolean dualBatchOverlap, Boolean checkMemory) {
    public SimulationSpec {
        dualBatchOverlap = Require.orDefault(dualBatchOverlap, false);
        checkMemory = Require.orDefault(checkMemory, true);
    }

    public static SimulationSpec defaults() {
        return new SimulationSpec(null, null);
    }
}
