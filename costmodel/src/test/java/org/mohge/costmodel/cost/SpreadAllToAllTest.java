package org.mohge.costmodel.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;

class SpreadAllToAllTest {

    /** The toy GPU on 2 nodes of 4, NVLink 400 GB/s and NIC 50 GB/s per direction, links at the given shares. */
    private static CostModel toy(double nvlinkShare, double nicShare) {
        ClusterSpec cluster = new ClusterSpec(GpuCatalog.get("h100-sxm"), 2, 4, 400.0, 50.0, 2.0, 5.0);
        return new ToyCostModel() {
            @Override
            public ClusterSpec cluster() {
                return cluster;
            }

            @Override
            public double nvlinkEfficiency() {
                return nvlinkShare;
            }

            @Override
            public double nicEfficiency() {
                return nicShare;
            }
        };
    }

    @Test
    void perBytePriceIsTheSlowerLinkShareAtItsAchievedBandwidth() {
        // Of 8 GPUs a GPU reaches 3 over NVLink and 4 over the NIC: 3/8 of its bytes at 400 GB/s
        // (0.375 / 4e5 = 9.375e-7 us per byte) and 4/8 at 50 GB/s (0.5 / 5e4 = 1e-5 us per byte).
        assertThat(toy(1, 1).spreadAllToAllUsPerByte()).isCloseTo(1e-5, within(1e-12));
        // At 80% of the NIC the NIC share takes 0.5 / (50 x 0.8 x 1e3) = 1.25e-5 us per byte.
        assertThat(toy(1, 0.8).spreadAllToAllUsPerByte()).isCloseTo(1.25e-5, within(1e-12));
        // NVLink at 5%: 0.375 / (400 x 0.05 x 1e3) = 1.875e-5 > the NIC's 1e-5, so NVLink sets it.
        assertThat(toy(0.05, 1).spreadAllToAllUsPerByte()).isCloseTo(1.875e-5, within(1e-12));
    }
}
