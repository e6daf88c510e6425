package org.mohge.costmodel.profile;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.cost.AttentionShape;
import org.mohge.costmodel.cost.GemmShape;
import org.mohge.costmodel.cost.KernelParams;
import org.mohge.costmodel.cost.OpCost;
import org.mohge.costmodel.cost.ProfiledCostModel;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;

/**
 * What {@link ProfiledCostModel} with given {@link KernelParams} predicts for a published
 * measurement, in the measurement's own unit, on the GPU it was measured on: the same code that
 * prices a training step prices the published kernel.
 */
public final class MeasurementPredictor {
    private MeasurementPredictor() {
    }

    public static double predict(KernelParams params, PublishedMeasurement m) {
        ClusterSpec cluster = ClusterSpec.of(GpuCatalog.get(m.gpu()), 1, 8);
        ProfiledCostModel model = new ProfiledCostModel(cluster, params, "fit");
        return switch (m.kind()) {
            case GEMM -> inUnit(model.gemm(new GemmShape(m.dim("m"), m.dim("n"), m.dim("k")), dtype(m)), m);
            case GROUPED_GEMM -> {
                List<GemmShape> shapes = new ArrayList<>();
                for (int g = 0; g < m.dim("groups"); g++) {
                    shapes.add(new GemmShape(m.dim("m"), m.dim("n"), m.dim("k")));
                }
                yield inUnit(model.groupedGemm(shapes, dtype(m)), m);
            }
            case ATTENTION_FORWARD -> inUnit(model.attentionForward(attention(m), dtype(m)), m);
            case ATTENTION_BACKWARD -> inUnit(model.attentionBackward(attention(m), dtype(m)), m);
            case ALL_TO_ALL_NVLINK -> cluster.nvlinkGBps() * params.nvlinkEfficiency();
            case ALL_TO_ALL_NIC -> {
                int nodes = m.dim("nodes");
                double logical = m.shape().getOrDefault("countsLocal", 0) == 1 ? (double) nodes / (nodes - 1) : 1;
                yield cluster.nicGBps() * params.nicEfficiency() * logical;
            }
        };
    }

    /** Signed error of the prediction, in % of the published figure. */
    public static double errorPct(KernelParams params, PublishedMeasurement m) {
        return (predict(params, m) / m.value() - 1) * 100;
    }

    private static DType dtype(PublishedMeasurement m) {
        return DType.fromLabel(m.dtype());
    }

    /** FlashAttention benchmark shapes: {@code batch} sequences of {@code seq}, causal or not. */
    static AttentionShape attention(PublishedMeasurement m) {
        int seq = m.dim("seq");
        double meanKeys = m.dim("causal") == 1 ? (seq + 1) / 2.0 : seq;
        return new AttentionShape((long) m.dim("batch") * seq, m.dim("heads"), m.dim("headDim"), m.dim("headDim"),
                meanKeys);
    }

    private static double inUnit(OpCost cost, PublishedMeasurement m) {
        return switch (m.unit()) {
            case PublishedMeasurement.MS -> cost.timeUs() / 1e3;
            case PublishedMeasurement.TFLOPS -> cost.tflops();
            default -> throw new IllegalArgumentException("measurement '" + m.figure() + "': a kernel time is in ms"
                    + " or TFLOPS, not " + m.unit());
        };
    }
}
