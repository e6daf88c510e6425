package org.mohge.costmodel.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;

class CollectivesTest {
    // h100-sxm: NVLink 450 GB/s per direction (450e3 B/us), NIC 50 GB/s; latencies 2 us and 5 us.
    private final Collectives c = new Collectives(ClusterSpec.of(GpuCatalog.get("h100-sxm"), 4, 8));

    @Test
    void ringTimesByHand() {
        // Reduce-scatter of 1 GB over 8 GPUs of a node: 7 x 2 us + 7/8 x 1e9 / 450e3 us = 14 + 1944.44 us.
        assertThat(c.reduceScatterUs(1e9, 8, false)).isCloseTo(14 + 0.875 * 1e9 / 450e3, within(1e-6));
        // All-reduce = reduce-scatter + all-gather: twice that.
        assertThat(c.allReduceUs(1e9, 8, false)).isCloseTo(2 * (14 + 0.875 * 1e9 / 450e3), within(1e-6));
        // Across nodes, 32 ranks: 31 x 5 us + 31/32 x 1e9 / 50e3 us.
        assertThat(c.allGatherUs(1e9, 32, true)).isCloseTo(155 + 31.0 / 32 * 1e9 / 50e3, within(1e-6));
        // One rank: nothing to do.
        assertThat(c.allReduceUs(1e9, 1, true)).isZero();
        // A 64 MiB activation send between nodes: 5 us + 67,108,864 / 50e3 us.
        assertThat(c.sendUs(67_108_864, true)).isCloseTo(5 + 67_108_864 / 50e3, within(1e-9));
    }
}
