package org.mohge.costmodel.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.mohge.costmodel.cost.KernelParams;
import org.mohge.costmodel.cost.ProfiledCostModel;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;

class CollectivesTest {
    // h100-sxm: NVLink 450 GB/s per direction (450e3 B/us), NIC 50 GB/s; latencies 2 us and 5 us.
    private final Collectives c = new Collectives(ClusterSpec.of(GpuCatalog.get("h100-sxm"), 4, 8));

    @Test
    void ringTimesByHand() {
        // Reduce-scatter of 1 GB over 8 GPUs of a node: 7 x 2 us + 7/8 x 1e9 / 450e3 us = 14 + 1944.44 us.
        assertThat(c.reduceScatterUs(1e9, new RingGroup(8, 8))).isCloseTo(14 + 0.875 * 1e9 / 450e3, within(1e-6));
        // All-reduce = reduce-scatter + all-gather: twice that.
        assertThat(c.allReduceUs(1e9, new RingGroup(8, 8))).isCloseTo(2 * (14 + 0.875 * 1e9 / 450e3), within(1e-6));
        // Across nodes, 32 ranks one per node: 31 x 5 us + 31/32 x 1e9 / 50e3 us (one NIC).
        assertThat(c.allGatherUs(1e9, new RingGroup(32, 1))).isCloseTo(155 + 31.0 / 32 * 1e9 / 50e3, within(1e-6));
        // 32 ranks, 2 per node: each node crossing runs over 2 NICs, 100 GB/s.
        assertThat(c.allGatherUs(1e9, new RingGroup(32, 2))).isCloseTo(155 + 31.0 / 32 * 1e9 / 100e3, within(1e-6));
        // 32 ranks, 8 per node (4 full nodes): 8 NICs give 400 GB/s, under NVLink's 450.
        assertThat(c.allGatherUs(1e9, new RingGroup(32, 8))).isCloseTo(155 + 31.0 / 32 * 1e9 / 400e3, within(1e-6));
        // One rank: nothing to do.
        assertThat(c.allReduceUs(1e9, new RingGroup(1, 1))).isZero();
        // A 64 MiB activation send between nodes: 5 us + 67,108,864 / 50e3 us.
        assertThat(c.sendUs(67_108_864, true)).isCloseTo(5 + 67_108_864 / 50e3, within(1e-9));
    }

    @Test
    void linksCarryTheProfilesMeasuredShareAndBusBandwidthFollowsNcclTests() {
        // A profile measuring NVLink at 50% (225 GB/s of 450) and the NIC at 80% (40 GB/s of 50).
        KernelParams p = new KernelParams(0.75, 0.75, 200, 64, 0.85, 4, 1, 0.6, 0.6, 64, 256, 0.5, 0.8);
        Collectives measured = new Collectives(new ProfiledCostModel(ClusterSpec.of(GpuCatalog.get("h100-sxm"), 4, 8),
                p, "test"));
        // All-reduce of 1 GB over the 8 GPUs of a node: 2 x (7 x 2 us + 7/8 x 1e9 / 225e3 us).
        double timeUs = measured.allReduceUs(1e9, new RingGroup(8, 8));
        assertThat(timeUs).isCloseTo(2 * (14 + 0.875 * 1e9 / 225e3), within(1e-6));
        // nccl-tests (doc/PERFORMANCE.md): algbw = size / time, busbw = algbw x 2(n-1)/n; net of the
        // 28 us of latency the bus bandwidth is the link's achieved 225 GB/s.
        double algbwGBps = 1e9 / ((timeUs - 28) * 1e3);
        assertThat(algbwGBps * 2 * 7 / 8).isCloseTo(225, within(1e-9));
        // Across nodes, one member per node, the ring runs at the slower achieved link: min(225, 40) GB/s;
        // with 8 members per node, at min(225, 8 x 40) = 225 GB/s.
        assertThat(measured.allGatherUs(1e9, new RingGroup(32, 1))).isCloseTo(155 + 31.0 / 32 * 1e9 / 40e3, within(1e-6));
        assertThat(measured.allGatherUs(1e9, new RingGroup(32, 8))).isCloseTo(155 + 31.0 / 32 * 1e9 / 225e3,
                within(1e-6));
        // An exchange of 1 MB over each link kind at once: max(2 + 1e6 / 225e3, 5 + 1e6 / 40e3) = 30 us.
        assertThat(measured.exchangeUs(1e6, 1e6)).isCloseTo(30, within(1e-9));
    }

    @Test
    void megatronGroupsHaveTheirMembersPerNodeByHand() {
        // 8-GPU nodes. tp 4: a data-parallel group's members lie 4 apart, 2 on a node.
        assertThat(RingGroup.strided(16, 4, 8)).isEqualTo(new RingGroup(16, 2));
        // tp 1, dp 16: 8 on a node.
        assertThat(RingGroup.strided(16, 1, 8)).isEqualTo(new RingGroup(16, 8));
        // ep 8 fills the node: the expert-data-parallel group has 1 member per node.
        assertThat(RingGroup.strided(8, 8, 8)).isEqualTo(new RingGroup(8, 1));
        // tp 16 over two nodes: 8 on each.
        assertThat(RingGroup.strided(16, 1, 8).crossesNodes()).isTrue();
        // A group smaller than a node stays inside it.
        assertThat(RingGroup.strided(4, 2, 8)).isEqualTo(new RingGroup(4, 4));
        assertThat(RingGroup.strided(4, 2, 8).crossesNodes()).isFalse();
    }
}
