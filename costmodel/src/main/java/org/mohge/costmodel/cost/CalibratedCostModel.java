package org.mohge.costmodel.cost;

import java.util.List;
import java.util.Locale;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.calibration.CalibrationProfile;
import org.mohge.costmodel.calibration.GemmEfficiencyModel;
import org.mohge.costmodel.hardware.ClusterSpec;

/**
 * A cost model whose compute and memory terms come from measurements on a real device (a
 * {@link CalibrationProfile}). GEMMs use the fitted {@link GemmEfficiencyModel}; a grouped GEMM
 * pays one launch and then each expert's GEMM at its own efficiency (so a few tokens on a big
 * expert are priced the way the device ran them); memory-bound kernels stream at the fitted
 * bandwidth. Communication is not measured by the backends: all-to-all is priced by the
 * analytical model of the cluster.
 */
public final class CalibratedCostModel implements CostModel {
    private final GemmEfficiencyModel gemm;
    private final String description;
    /** Prices the all-to-all; null for a kernels-only model, which has no cluster. */
    private final AnalyticalCostModel communication;

    public CalibratedCostModel(GemmEfficiencyModel gemm, String description, ClusterSpec cluster) {
        this.gemm = gemm;
        this.description = description;
        this.communication = new AnalyticalCostModel(cluster);
    }

    private CalibratedCostModel(GemmEfficiencyModel gemm) {
        this.gemm = gemm;
        this.description = "kernels calibrated, no cluster";
        this.communication = null;
    }

    /**
     * A model that prices kernels only (what fitting a calibration needs): asking it for its
     * cluster or an all-to-all is an error.
     */
    public static CalibratedCostModel kernelsOnly(GemmEfficiencyModel gemm) {
        return new CalibratedCostModel(gemm);
    }

    public static CalibratedCostModel of(CalibrationProfile profile, String profileName, ClusterSpec cluster) {
        String fit = profile.fit() == null ? "" : String.format(Locale.ROOT, ", held-out median error %.1f%%",
                profile.fit().heldOutMedianAbsErrorPct());
        return new CalibratedCostModel(profile.gemm(), "calibrated from " + profileName + " (" + profile.backend()
                + " on " + profile.device() + fit + "); all-to-all analytical on " + cluster.gpu().name(), cluster);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public ClusterSpec cluster() {
        return communicationModel().cluster();
    }

    private AnalyticalCostModel communicationModel() {
        if (communication == null) {
            throw new IllegalStateException("a kernels-only calibrated model has no cluster");
        }
        return communication;
    }

    public GemmEfficiencyModel gemmModel() {
        return gemm;
    }

    @Override
    public OpCost gemm(GemmShape shape, DType dtype) {
        return groupedGemm(List.of(shape), dtype);
    }

    @Override
    public OpCost groupedGemm(List<GemmShape> shapes, DType dtype) {
        double timeUs = 0;
        double flops = 0;
        double bytes = 0;
        for (GemmShape s : shapes) {
            if (s.m() == 0) {
                continue;
            }
            timeUs += gemm.bodyUs(s.m(), s.n(), s.k(), dtype.bytes());
            flops += s.flops();
            bytes += s.bytes(dtype.bytes());
        }
        if (flops == 0) {
            return OpCost.ZERO;
        }
        return new OpCost(timeUs + gemm.launchUs(), flops, bytes);
    }

    @Override
    public OpCost memoryBound(double bytes) {
        if (bytes <= 0) {
            return OpCost.ZERO;
        }
        return new OpCost(bytes / (gemm.bandwidthGBps() * 1e3) + gemm.launchUs(), 0, bytes);
    }

    @Override
    public AllToAllCost allToAll(double[][] bytes) {
        return communicationModel().allToAll(bytes);
    }
}
