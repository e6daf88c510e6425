package org.mohge.costmodel.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.UniformMoe;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.spec.SpecViolation;

class ParallelLayoutTest {
    /** 61 layers, 256 experts, 16 heads: DeepSeek-V3's counts on a small body. */
    static final ModelSpec MODEL = new ModelSpec(64, 61, 3, 128, 100, false, DType.BF16,
            new GqaAttention(16, 4, 8), new UniformMoe(256, 32, 8, 1, 32, Activation.SWIGLU));
    static final ClusterSpec CLUSTER = ClusterSpec.of(GpuCatalog.get("h100-sxm"), 256, 8);
    static final TrainingSpec TRAINING = new TrainingSpec(15360, 1, 4096, null, null);

    static ParallelismSpec spec(int tp, int pp, int vp, int cp, int ep, int etp) {
        return new ParallelismSpec(tp, pp, vp, cp, ep, etp, null, null, null, null, null);
    }

    @Test
    void deepSeekLayoutDerivesItsAxes() {
        ParallelismSpec p = new ParallelismSpec(1, 16, 1, 1, 64, 1, false, true, false, 1, null);
        ParallelLayout l = ParallelLayout.of(p, TRAINING, MODEL, CLUSTER);
        // 2048 GPUs / (tp 1 x pp 16 x cp 1) = 128; experts fold 1 x 1 x 128 = etp 1 x ep 64 x edp 2.
        assertThat(l.dp()).isEqualTo(128);
        assertThat(l.edp()).isEqualTo(2);
        // 15360 sequences / (1 x 128) = 120 micro-batches per pipeline.
        assertThat(l.microBatches()).isEqualTo(120);
        // 61 layers: 1 on the first stage, 60 / 15 = 4 on each other stage.
        assertThat(l.layersOf(0)).isEqualTo(1);
        assertThat(l.layersOf(15)).isEqualTo(4);
        assertThat(l.firstLayerOf(2)).isEqualTo(5);
        // EP64 over 8-GPU nodes spans 8 nodes.
        assertThat(l.nodesPerExpertGroup()).isEqualTo(8);
        assertThat(l.schedule()).isEqualTo(PipelineSchedule.ONE_F_ONE_B);
    }

    private static void rejects(ParallelismSpec p, TrainingSpec t, String field, String ruleFragment) {
        assertThatThrownBy(() -> ParallelLayout.of(p, t, MODEL, CLUSTER))
                .isInstanceOf(SpecViolation.class)
                .satisfies(e -> {
                    assertThat(((SpecViolation) e).field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(ruleFragment).doesNotContain("\n");
                });
    }

    @Test
    void everyImpossibleLayoutNamesItsKeyAndRule() {
        rejects(spec(3, 1, 1, 1, 1, 1), TRAINING, "parallelism", "must divide the cluster's 2048 GPUs");
        rejects(spec(1, 1, 2, 1, 1, 1), TRAINING, "parallelism.vp", "must be 1 when pp = 1");
        rejects(spec(1, 16, 1, 1, 1, 1), TRAINING, "parallelism.pp", "must divide model.layers (61)");
        rejects(spec(32, 1, 1, 1, 1, 1), TRAINING, "parallelism.tp", "must divide attention.heads (16)");
        rejects(spec(1, 1, 1, 1, 512, 1), TRAINING, "parallelism.ep", "must divide the model's 256 routed experts");
        rejects(spec(1, 1, 1, 1, 1, 3), TRAINING, "parallelism.ep", "must divide tp x cp x dp");
        rejects(new ParallelismSpec(1, 1, 1, 1, 1, 1, true, null, null, null, null), TRAINING,
                "parallelism.sequenceParallel", "needs tp > 1");
        rejects(spec(1, 1, 1, 1, 1, 1), new TrainingSpec(1000, 1, 4096, null, null), "training.globalBatchSize",
                "multiple of microBatchSize x dp = 1 x 2048");
        rejects(spec(1, 1, 1, 2, 1, 1), new TrainingSpec(1024, 1, 4098, null, null), "training.sequenceLength",
                "multiple of 2 x cp = 4");
        rejects(spec(1, 1, 1, 1, 1, 1), new TrainingSpec(2048, 1, 4096, null, PipelineSchedule.INTERLEAVED),
                "training.pipelineSchedule", "needs parallelism.vp > 1");
        rejects(new ParallelismSpec(1, 16, 1, 1, 1, 1, null, null, null, 2, null), TRAINING,
                "parallelism.firstStageLayers", "must split evenly over the other 15 stages");
    }

    @Test
    void expertGroupsMustTileNodes() {
        // 4 nodes of 6 GPUs: EP groups of 4 consecutive GPUs would straddle nodes unevenly.
        ClusterSpec sixes = ClusterSpec.of(GpuCatalog.get("h100-sxm"), 4, 6);
        assertThatThrownBy(() -> ParallelLayout.of(spec(1, 1, 1, 1, 4, 1), TRAINING, MODEL, sixes))
                .isInstanceOf(SpecViolation.class)
                .hasMessage("parallelism.ep etp x ep = 4 must divide, or be a multiple of, the 6 GPUs of a node "
                        + "(EP groups are blocks of consecutive GPUs)");
    }

    /** Llama 3.1 405B's counts on a small body: 126 layers, 8 heads, dense. */
    static final ModelSpec DENSE_126 = new ModelSpec(64, 126, 0, 128, 100, false, DType.BF16,
            new GqaAttention(8, 2, 8), null);

    @Test
    void embeddingAndLossTakeALayerSlotEachOfTheVirtualStages() {
        // 126 layers + embedding + loss = 128 slots over pp 8 x vp 8 = 64 virtual stages of 2: the first
        // rank holds 8 x 2 - 1 = 15 decoder layers, the last 15, the others 16 (Megatron-Bridge's 405B recipe).
        ParallelismSpec p = new ParallelismSpec(8, 8, 8, 2, 1, 1, true, true, null, null, null, true, true, null, null);
        ParallelLayout l = ParallelLayout.of(p, new TrainingSpec(512, 1, 8192, null, null), DENSE_126,
                ClusterSpec.of(GpuCatalog.get("h100-sxm"), 128, 8));
        assertThat(l.layersOf(0)).isEqualTo(15);
        assertThat(l.layersOf(1)).isEqualTo(16);
        assertThat(l.layersOf(7)).isEqualTo(15);
        assertThat(l.firstLayerOf(7)).isEqualTo(15 + 6 * 16);
        // Only the embedding slot: 127 is not a multiple of 64.
        ParallelismSpec embeddingOnly = new ParallelismSpec(8, 8, 8, 2, 1, 1, true, true, null, null, null, true,
                null, null, null);
        assertThatThrownBy(() -> ParallelLayout.of(embeddingOnly, new TrainingSpec(512, 1, 8192, null, null),
                DENSE_126, ClusterSpec.of(GpuCatalog.get("h100-sxm"), 128, 8)))
                .isInstanceOf(SpecViolation.class)
                .hasMessageContaining("parallelism.embeddingInPipelineSplit")
                .hasMessageContaining("127 must be a multiple of pp x vp = 8 x 8 = 64");
    }

    @Test
    void aDenseModelHasNoExpertParallelism() {
        ParallelismSpec p = new ParallelismSpec(1, 1, 1, 1, 2, 1, null, null, null, null, null);
        assertThatThrownBy(() -> ParallelLayout.of(p, new TrainingSpec(16, 1, 1024, null, null), DENSE_126, CLUSTER))
                .isInstanceOf(SpecViolation.class)
                .hasMessageContaining("parallelism.ep").hasMessageContaining("must be 1 for a dense model");
    }

    @Test
    void theExchangeKernelsHoldTheDispatchersSmsUnlessTold() {
        // DeepEP's 20 (Megatron-Core's default), none for NCCL's all-to-all, a scenario's own value as given.
        ParallelismSpec deepep = new ParallelismSpec(1, 16, 1, 1, 64, 1, null, null, null, 1, null, null, null,
                TokenDispatcher.DEEPEP, true);
        ParallelismSpec alltoall = new ParallelismSpec(1, 16, 1, 1, 64, 1, null, null, null, 1, null, null, null,
                TokenDispatcher.ALLTOALL, true);
        ParallelismSpec told = new ParallelismSpec(1, 16, 1, 1, 64, 1, null, null, null, 1, null, null, null,
                TokenDispatcher.DEEPEP, true, 32);
        assertThat(ParallelLayout.of(deepep, TRAINING, MODEL, CLUSTER).commSms()).isEqualTo(20);
        assertThat(ParallelLayout.of(alltoall, TRAINING, MODEL, CLUSTER).commSms()).isZero();
        assertThat(ParallelLayout.of(told, TRAINING, MODEL, CLUSTER).commSms()).isEqualTo(32);
        // An H100 has 132 SMs: the compute needs at least one.
        rejects(new ParallelismSpec(1, 16, 1, 1, 64, 1, null, null, null, 1, null, null, null,
                TokenDispatcher.DEEPEP, true, 132), TRAINING, "parallelism.commSms", "must be below the 132 SMs");
    }
}
