package org.mohge.costmodel.cost;

import java.util.List;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.calibration.CalibrationProfile;
import org.mohge.costmodel.calibration.GemmEfficiencyModel;
import org.mohge.costmodel.hardware.ClusterSpec;

/**
 * A cost model whose compute and memory terms come from measurements on a real device (a
 * {@link CalibrationProfile}). GEMMs use the fitted {@link GemmEfficiencyModel}; a grouped GEMM
 * pays one launch and then each expert's GEMM at its own efficiency (so a few tokens on a big
 * expert are priced as the device actually ran them); memory-bound kernels stream at the
 * measured bandwidth. Communication is not measured by the backends: all-to-all is priced by
 * the analytical model of the cluster.
 */
public final class CalibratedCostModel implements CostModel {
    private final CalibrationProfile profile;
    private final String profileName;
    private final AnalyticalCostModel communication;

    public CalibratedCostModel(CalibrationProfile profile, String profileName, ClusterSpec cluster) {
        this.profile = profile;
        this.profileName = profileName;
        this.communication = new AnalyticalCostModel(cluster);
    }

    @Override
    public String description() {
        String fit = profile.fit() == null ? "" : String.format(java.util.Locale.ROOT,
                ", held-out median error %.1f%%", profile.fit().heldOutMedianAbsErrorPct());
        return "calibrated from " + profileName + " (" + profile.backend() + " on " + profile.device() + fit
                + "); all-to-all analytical on " + cluster().gpu().name();
    }

    @Override
    public ClusterSpec cluster() {
        return communication.cluster();
    }

    public CalibrationProfile profile() {
        return profile;
    }

    @Override
    public OpCost gemm(GemmShape shape, DType dtype) {
        return groupedGemm(List.of(shape), dtype);
    }

    @Override
    public OpCost groupedGemm(List<GemmShape> shapes, DType dtype) {
        GemmEfficiencyModel gemm = profile.gemm();
        double timeUs = 0;
        double flops = 0;
        double bytes = 0;
        for (GemmShape s : shapes) {
            if (s.m() == 0) {
                continue;
            }
            timeUs += gemm.timeUs(s.m(), s.n(), s.k(), dtype.bytes()) - gemm.launchUs();
            flops += s.flops();
            bytes += ((double) s.m() * s.k() + (double) s.k() * s.n() + (double) s.m() * s.n()) * dtype.bytes();
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
        double bandwidth = profile.memoryBandwidthGBps() > 0 ? profile.memoryBandwidthGBps()
                : profile.gemm().bandwidthGBps();
        return new OpCost(bytes / (bandwidth * 1e3) + profile.gemm().launchUs(), 0, bytes);
    }

    @Override
    public AllToAllCost allToAll(double[][] bytes) {
        return communication.allToAll(bytes);
    }
}
