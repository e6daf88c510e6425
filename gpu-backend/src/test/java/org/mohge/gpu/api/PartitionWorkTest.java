package org.mohge.gpu.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;

class PartitionWorkTest {

    @Test
    void splitsEachExpertsTokensOverItsReplicasByShare() {
        // 5 tokens, top-2 over 3 experts. Expert 0 gets tokens 0,1,2,3 (4 activations), expert 1 gets 0,4, expert 2 gets 1,2,3,4.
        int[] experts = {0, 1, 0, 2, 0, 2, 0, 2, 2, 1};
        float[] weights = {.6f, .4f, .7f, .3f, .5f, .5f, .9f, .1f, .8f, .2f};
        Routing r = new Routing(5, 2, experts, weights, 0, new int[0]);
        // Expert 0: 3/4 on GPU 0, 1/4 on GPU 1 -> tokens 0,1,2 on GPU 0 and token 3 on GPU 1.
        // Expert 1 on GPU 1; expert 2 (tokens 1,2,3,4 with weights .3,.5,.1,.8) split 0.5/0.5 -> 1,2 on GPU 1, 3,4 on GPU 0.
        Placement p = new Placement("test", 2, List.of(
                new ExpertPlacement(0, List.of(new ExpertReplica(0, 0.75), new ExpertReplica(1, 0.25))),
                new ExpertPlacement(1, List.of(new ExpertReplica(1, 1.0))),
                new ExpertPlacement(2, List.of(new ExpertReplica(1, 0.5), new ExpertReplica(0, 0.5)))));
        List<PartitionWork> work = PartitionWork.split(r, p);
        assertThat(work).hasSize(2);
        PartitionWork gpu0 = work.get(0);
        assertThat(gpu0.experts()).extracting(ExpertTokens::expert).containsExactly(0, 2);
        assertThat(gpu0.experts().get(0).tokens()).containsExactly(0, 1, 2);
        assertThat(gpu0.experts().get(0).weights()).containsExactly(.6f, .7f, .5f);
        assertThat(gpu0.experts().get(1).tokens()).containsExactly(3, 4);
        assertThat(gpu0.experts().get(1).weights()).containsExactly(.1f, .8f); // token 3 slot 1, token 4 slot 0
        PartitionWork gpu1 = work.get(1);
        assertThat(gpu1.experts()).extracting(ExpertTokens::expert).containsExactly(0, 1, 2);
        assertThat(gpu1.experts().get(0).tokens()).containsExactly(3);
        assertThat(gpu1.experts().get(1).tokens()).containsExactly(0, 4);
        assertThat(gpu1.experts().get(2).tokens()).containsExactly(1, 2);
        assertThat(gpu0.activations() + gpu1.activations()).isEqualTo(10);
    }
}
