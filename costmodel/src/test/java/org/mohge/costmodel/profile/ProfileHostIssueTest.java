package org.mohge.costmodel.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.cost.HostCosts;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;

/** Every shipped profile names the host's issue costs, each the figure its source publishes. */
class ProfileHostIssueTest {

    @Test
    void everyShippedProfileCarriesTheHostFiguresWithTheirSources() {
        for (String gpu : List.of("h100-sxm", "h200-sxm", "h800", "b200")) {
            GpuProfile p = GpuProfiles.find(gpu).orElseThrow();
            assertThat(p.host()).as(gpu).isNotNull();
            // HTA's docs: "between 5-20 microseconds" for the CPU launch event of a kernel.
            assertThat(p.host().issueUsPerKernel()).as(gpu).isBetween(5.0, 20.0);
            assertThat(p.host().source()).as(gpu).contains("HolisticTraceAnalysis");
            assertThat(p.host().figure()).as(gpu).contains("5-20 microseconds");
            // TransformerEngine issue #2053: torch Linear forward, 13.48 us of CPU on the H100 DGX.
            assertThat(p.host().usPerOp()).as(gpu).isEqualTo(13.48);
            assertThat(p.host().opSource()).as(gpu).contains("TransformerEngine issue #2053");
            // The cost model built from the profile prices the host with both.
            HostCosts priced = GpuProfiles.costModel(ClusterSpec.of(GpuCatalog.get(gpu), 1, 8)).orElseThrow()
                    .hostCosts();
            assertThat(priced).as(gpu).isEqualTo(new HostCosts(13.48, p.host().issueUsPerKernel()));
        }
    }
}
