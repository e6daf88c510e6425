package org.mohge.sim.serving;

import java.util.List;

/** Empirical distributions of the completed requests' latencies, each at most 100 points (histogram bins). */
public record LatencyCdfs(List<CdfPoint> ttft, List<CdfPoint> tpot, List<CdfPoint> e2e) {
    public LatencyCdfs {
        ttft = List.copyOf(ttft);
        tpot = List.copyOf(tpot);
        e2e = List.copyOf(e2e);
    }
}
