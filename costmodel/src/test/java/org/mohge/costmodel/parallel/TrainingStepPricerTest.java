package org.mohge.costmodel.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.UniformMoe;
import org.mohge.costmodel.cost.AllToAllCost;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.cost.GemmShape;
import org.mohge.costmodel.cost.OpCost;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;

/** Pieces of the step on a toy price list: 1 us per MFLOP of GEMM, 1 us per MB moved by a memory-bound kernel. */
class TrainingStepPricerTest {
    /** h100-sxm nodes of 8: NVLink 450 GB/s (450e3 B/us), NIC 50 GB/s, latencies 2 us and 5 us. */
    static final ClusterSpec CLUSTER = ClusterSpec.of(GpuCatalog.get("h100-sxm"), 2, 8);

    static final CostModel TOY = toy(1e-6);

    /** A cost model at {@code usPerUnit} us per FLOP of GEMM and per byte of memory-bound kernel. */
    static CostModel toy(double usPerUnit) {
        return new CostModel() {
            @Override
            public String description() {
                return "toy";
            }

            @Override
            public ClusterSpec cluster() {
                return CLUSTER;
            }

            @Override
            public OpCost gemm(GemmShape shape, DType dtype) {
                return new OpCost(shape.flops() * usPerUnit, shape.flops(), 0);
            }

            @Override
            public OpCost groupedGemm(List<GemmShape> shapes, DType dtype) {
                OpCost sum = OpCost.ZERO;
                for (GemmShape s : shapes) {
                    sum = sum.plus(gemm(s, dtype));
                }
                return sum;
            }

            @Override
            public OpCost memoryBound(double bytes) {
                return new OpCost(bytes * usPerUnit, 0, bytes);
            }

            @Override
            public AllToAllCost allToAll(double[][] bytes) {
                throw new UnsupportedOperationException("the training step prices its own exchanges");
            }
        };
    }

    /** d = 256, 4 layers, GQA 8 heads (2 KV) of 32, 16 experts of 512, top-2, vocab 1000. */
    static final ModelSpec MODEL = new ModelSpec(256, 4, 0, 0, 1000, false, DType.BF16, new GqaAttention(8, 2, 32),
            new UniformMoe(16, 512, 2, 0, 0, Activation.SWIGLU));
    static final Precision BF16 = new PrecisionSpec(PrecisionRecipe.BF16, null, null, null, null, null, null, null)
            .resolve();

    static List<StagePrice> price(ParallelismSpec p, Recompute recompute) {
        ParallelLayout layout = ParallelLayout.of(p, new TrainingSpec(16, 1, 1024, recompute, null), MODEL, CLUSTER);
        return new TrainingStepPricer(MODEL, layout, BF16, TOY, 0).price();
    }

    static ParallelismSpec spec(int tp, int pp, int ep, boolean distributedOptimizer) {
        return new ParallelismSpec(tp, pp, 1, 1, ep, 1, null, distributedOptimizer, null, null, null);
    }

    @Test
    void fsdpWaitsThePassesCannotHideAreCountedAsExposed() {
        // GEMMs a million times faster than the toy's: fsdp's per-micro-batch gathers and
        // reduce-scatters outrun the compute, and what they add to the passes is what fsdpUs states.
        CostModel fast = toy(1e-12);
        TrainingSpec training = new TrainingSpec(16, 1, 1024, Recompute.NONE, null);
        ParallelismSpec fsdp = new ParallelismSpec(1, 1, 1, 1, 1, 1, null, null, true, null, null);
        ParallelismSpec zero1 = new ParallelismSpec(1, 1, 1, 1, 1, 1, null, true, null, null, null);
        StagePrice f = new TrainingStepPricer(MODEL, ParallelLayout.of(fsdp, training, MODEL, CLUSTER), BF16, fast, 0)
                .price().get(0);
        StagePrice z = new TrainingStepPricer(MODEL, ParallelLayout.of(zero1, training, MODEL, CLUSTER), BF16, fast, 0)
                .price().get(0);
        assertThat(f.fsdpUs()).isPositive();
        assertThat(z.fsdpUs()).isZero();
        assertThat((f.forwardUs() - z.forwardUs()) + (f.backwardUs() - z.backwardUs()))
                .isCloseTo(f.fsdpUs(), within(1e-9));
    }

    @Test
    void fullRecomputeAddsTheForwardToTheBackward() {
        StagePrice none = price(spec(2, 2, 4, true), Recompute.NONE).get(0);
        StagePrice full = price(spec(2, 2, 4, true), Recompute.FULL).get(0);
        assertThat(full.forwardUs()).isCloseTo(none.forwardUs(), within(1e-9));
        assertThat(full.backwardUs() - none.backwardUs()).isCloseTo(none.forwardUs(), within(1e-9));
        assertThat(full.recomputeUs()).isCloseTo(none.forwardUs(), within(1e-9));
    }

    @Test
    void tensorParallelAllReducesByHand() {
        // tp 2 inside a node, 1024 tokens per micro-batch: two all-reduces of 1024 x 256 x 2 B = 524,288 B per
        // layer and direction. One ring all-reduce over 2 ranks: 2 x (1 x 2 us + 1/2 x 524,288 / 450e3 us).
        double allReduce = 2 * (2 + 0.5 * 524_288 / 450e3);
        StagePrice s = price(spec(2, 2, 1, false), Recompute.NONE).get(0);
        // Stage 0 holds 2 layers: 2 layers x 2 directions x 2 all-reduces.
        assertThat(s.tpUs()).isCloseTo(2 * 2 * 2 * allReduce, within(1e-9));
    }

    @Test
    void expertDispatchBytesByHand() {
        // ep 8 in one node, tp 1: 1024 tokens each sent once per distinct destination GPU other than its own.
        // 16 experts, 2 per GPU, top-2: a GPU is missed with probability (14 x 13) / (16 x 15) = 0.758333;
        // distinct GPUs 8 x (1 - 0.758333) = 1.93333, of which 1/8 on the sender: 1.691667 NVLink copies.
        double copies = 1024 * (8 * (1 - 14.0 * 13 / (16 * 15)) * 7 / 8);
        double exchange = 2 + copies * 256 * 2 / 450e3;
        StagePrice withEp = price(spec(1, 2, 8, false), Recompute.NONE).get(0);
        // Per MoE layer: dispatch + combine forward, combine-shaped twice backward: 4 exchanges; 2 layers.
        assertThat(withEp.epUs()).isCloseTo(2 * 4 * exchange, within(1e-6));
    }

    @Test
    void expertTensorParallelismSplitsTheSameExpertWorkDifferently() {
        // 16 experts of hidden 512, top-2, 1024 tokens per rank. EP8: a rank holds 2 experts and gets
        // 8 x 1024 x 2 / 16 = 1024 copies of each; SwiGLU's 3 matrices of 256 x 512 make
        // 2 x 1024 x 3 x 256 x 512 = 805,306,368 FLOPs per expert, 1,610,612,736 per rank. EP4 x ETP2:
        // a rank holds 4 experts at hidden 256 and sees its ETP partner's tokens too (2048): each expert
        // gets 4 x 2048 x 2 / 16 = 1024 copies, 2 x 1024 x 3 x 256 x 256 FLOPs each, the same
        // 1,610,612,736 per rank. The toy prices GEMMs at 1 us per MFLOP; the activation between them
        // (about 6 us here) moves the same bytes either way.
        ParallelLayout ep8 = ParallelLayout.of(new ParallelismSpec(1, 2, 1, 1, 8, 1, null, null, null, null, null),
                new TrainingSpec(16, 1, 1024, Recompute.NONE, null), MODEL, CLUSTER);
        ParallelLayout ep4etp2 = ParallelLayout.of(new ParallelismSpec(1, 2, 1, 1, 4, 2, null, null, null, null, null),
                new TrainingSpec(16, 1, 1024, Recompute.NONE, null), MODEL, CLUSTER);
        double expected = 2.0 * 1024 * 3 * 256 * 512 * 2 / 1e6;
        double ep8Us = new TrainingStepPricer(MODEL, ep8, BF16, TOY, 0).expertsForwardUs();
        assertThat(ep8Us).isCloseTo(expected, within(expected * 0.01));
        assertThat(new TrainingStepPricer(MODEL, ep4etp2, BF16, TOY, 0).expertsForwardUs())
                .isCloseTo(ep8Us, within(1e-6));
    }

    @Test
    void anFp8CombineLeavesTheBackwardExchangesInBf16() {
        // The same layout as expertDispatchBytesByHand with the combine in fp8: the forward combine
        // sends 256 + 256 / 128 x 4 = 264 bytes per copy instead of 512, the backward's two exchanges
        // still 512 (gradients travel in bf16).
        double copies = 1024 * (8 * (1 - 14.0 * 13 / (16 * 15)) * 7 / 8);
        double bf16Exchange = 2 + copies * 256 * 2 / 450e3;
        double fp8Exchange = 2 + copies * 264 / 450e3;
        Precision fp8Combine = new Precision(PrecisionRecipe.BF16, DType.BF16, DType.BF16, DType.BF16, DType.FP8,
                DType.BF16, DType.BF16, DType.FP32);
        ParallelLayout layout = ParallelLayout.of(spec(1, 2, 8, false), new TrainingSpec(16, 1, 1024, Recompute.NONE,
                null), MODEL, CLUSTER);
        StagePrice p = new TrainingStepPricer(MODEL, layout, fp8Combine, TOY, 0).price().get(0);
        // 2 MoE layers: dispatch bf16 + combine fp8 forward, two bf16 exchanges backward.
        assertThat(p.epUs()).isCloseTo(2 * (bf16Exchange + fp8Exchange + 2 * bf16Exchange), within(1e-6));
    }

    @Test
    void megatronAllToAllSendsEveryRowUndeduplicatedByHand() {
        // ep 16 over both nodes, tp 1: each of a token's 2 rows goes to its expert's GPU, 1 of 16 its own,
        // 7 of 16 another GPU of its node (NVLink), 8 of 16 the other node (NIC, 50e3 B/us). The NIC side is
        // the slower: 1024 x 2 x 8/16 = 1024 rows x 512 B.
        ParallelismSpec alltoall = new ParallelismSpec(1, 1, 1, 1, 16, 1, null, null, null, null, null, null, null,
                TokenDispatcher.ALLTOALL, null);
        double nv = 2 + 1024 * 2 * 7 / 16.0 * 512 / 450e3;
        double nic = 5 + 1024 * 2 * 8 / 16.0 * 512 / 50e3;
        assertThat(nic).isGreaterThan(nv);
        StagePrice a2a = price(alltoall, Recompute.NONE).get(0);
        // 4 MoE layers, 4 exchanges each.
        assertThat(a2a.epUs()).isCloseTo(4 * 4 * nic, within(1e-6));
    }

    @Test
    void overlappedExchangesHideBehindTheOtherPassOfTheLayer() {
        // ep 8 in one node, stage 0's 2 MoE layers: each exchange takes 2 + copies x 512 / 450e3 us
        // (see expertDispatchBytesByHand), a few us, against hundreds of us of the toy layer's compute.
        // Overlapped with exchange kernels that take no SMs, the forward's dispatch and combine hide behind
        // the other micro-batch's backward and the backward's two exchanges behind its forward: none stays
        // exposed.
        double copies = 1024 * (8 * (1 - 14.0 * 13 / (16 * 15)) * 7 / 8);
        double exchange = 2 + copies * 256 * 2 / 450e3;
        StagePrice plain = price(spec(1, 2, 8, false), Recompute.NONE).get(0);
        StagePrice overlapped = price(new ParallelismSpec(1, 2, 1, 1, 8, 1, null, false, null, null, null, null, null,
                null, true, 0), Recompute.NONE).get(0);
        assertThat(overlapped.epUs()).isZero();
        assertThat(plain.forwardUs() - overlapped.forwardUs()).isCloseTo(2 * 2 * exchange, within(1e-6));
        assertThat(plain.backwardUs() - overlapped.backwardUs()).isCloseTo(2 * 2 * exchange, within(1e-6));
        // DeepEP's default 20 of the H100's 132 SMs: the compute beside each exchange loses 20/132 of it,
        // so each of the 2 x 4 exchanges costs that share of its time.
        StagePrice onSms = price(new ParallelismSpec(1, 2, 1, 1, 8, 1, null, false, null, null, null, null, null,
                null, true), Recompute.NONE).get(0);
        assertThat(onSms.epUs()).isCloseTo(2 * 4 * exchange * 20 / 132, within(1e-6));
        assertThat(plain.forwardUs() - onSms.forwardUs()).isCloseTo(2 * 2 * exchange * (1 - 20.0 / 132), within(1e-6));
    }

    @Test
    void sequenceParallelSplitsTheNormsAndResidualsOverTheTpGroup() {
        // tp 2, pp 2 on 16 GPUs: a rank holds 1024 tokens. Without sequence parallelism its pre-FFN
        // norm and two residual adds move 2 + 3 + 3 = 8 hidden-sized tensors of all 1024 tokens
        // (1024 x 256 x 2 B each), with it of 512: the forward differs by 8 x 512 x 512 B = 2.097 us
        // per layer at the toy's 1 us per MB, over stage 0's 2 layers; the backward twice that.
        ParallelismSpec plain = new ParallelismSpec(2, 2, 1, 1, 1, 1, false, false, null, null, null);
        ParallelismSpec sp = new ParallelismSpec(2, 2, 1, 1, 1, 1, true, false, null, null, null);
        StagePrice a = price(plain, Recompute.NONE).get(0);
        StagePrice b = price(sp, Recompute.NONE).get(0);
        double perLayerUs = 8.0 * 512 * 256 * 2 / 1e6;
        assertThat(a.forwardUs() - b.forwardUs()).isCloseTo(2 * perLayerUs, within(1e-9));
        assertThat(a.backwardUs() - b.backwardUs()).isCloseTo(2 * 2 * perLayerUs, within(1e-9));
        // Selective recompute redoes the two norms of a layer (read and write, 2 x 2 tensors): with
        // sequence parallelism of 512 tokens, 4 x 512 x 512 B = 1.049 us per layer less to redo.
        StagePrice as = price(plain, Recompute.SELECTIVE).get(0);
        StagePrice bs = price(sp, Recompute.SELECTIVE).get(0);
        assertThat(as.recomputeUs() - bs.recomputeUs()).isCloseTo(2 * 4.0 * 512 * 256 * 2 / 1e6, within(1e-9));
    }

    @Test
    void megatronAllToAllRegroupsTheRowsTwiceMore() {
        // ep 8 in one node: 2 local experts per GPU, so the received rows are sorted by expert after the
        // dispatch and back before the combine: two more passes that read and write 1024 x 2 rows of 512 B,
        // forward (1 us per MB), twice that backward. The exchanges differ too; take them out.
        ParallelismSpec deepep = new ParallelismSpec(1, 2, 1, 1, 8, 1, null, null, null, null, null, null, null,
                TokenDispatcher.DEEPEP, null);
        ParallelismSpec alltoall = new ParallelismSpec(1, 2, 1, 1, 8, 1, null, null, null, null, null, null, null,
                TokenDispatcher.ALLTOALL, null);
        StagePrice d = price(deepep, Recompute.NONE).get(0);
        StagePrice a = price(alltoall, Recompute.NONE).get(0);
        double passUs = 2.0 * 1024 * 2 * 512 / 1e6;
        // Stage 0 holds 2 MoE layers; forward exchanges are half the EP time (dispatch + combine of 4).
        assertThat((a.forwardUs() - a.epUs() / 2) - (d.forwardUs() - d.epUs() / 2))
                .isCloseTo(2 * 2 * passUs, within(1e-6));
    }

    @Test
    void megatronAllToAllSendsBf16UnderAnFp8Recipe() {
        PrecisionSpec fp8 = new PrecisionSpec(PrecisionRecipe.FP8_TENSORWISE, null, null, null, null, null, null, null);
        assertThat(fp8.resolve(TokenDispatcher.DEEPEP).dispatch()).isEqualTo(DType.FP8);
        assertThat(fp8.resolve(TokenDispatcher.ALLTOALL).dispatch()).isEqualTo(DType.BF16);
        PrecisionSpec forced = new PrecisionSpec(PrecisionRecipe.FP8_TENSORWISE, null, null, DType.FP8, null, null,
                null, null);
        assertThat(forced.resolve(TokenDispatcher.ALLTOALL).dispatch()).isEqualTo(DType.FP8);
    }

    @Test
    void optimizerAndGradientReduceByHand() {
        // pp 2, tp 1, ep 1 on 16 GPUs: dp 8, edp 8. Stage 0: 2 layers of attention (q 65,536, k+v 32,768,
        // o 65,536 = 163,840) + norms 512 + router 4,096 = 168,448 per layer, plus the embedding 256,000:
        // dense 592,896; experts 2 x 16 x 3 x 256 x 512 = 12,582,912.
        double dense = 2 * (163_840 + 512 + 4_096) + 256_000;
        double expert = 2 * 16 * 3 * 256 * 512;
        StagePrice s = price(spec(1, 2, 1, true), Recompute.NONE).get(0);
        // Adam over the shard (dense / 8 + expert / 8): reads master 4, grad 4, m 4, v 4, writes master, m, v 12
        // and the bf16 weight 2: 30 B per weight, at 1 us per MB.
        double shard = dense / 8 + expert / 8;
        assertThat(s.optimizerUs()).isCloseTo(shard * 30 / 1e6, within(1e-9));
        // fp32 gradients reduce-scattered over 8 ranks across nodes (16 GPUs / pp 2 = 8 per stage: one node):
        // inside the node at 450e3 B/us, 7 steps of 2 us.
        double rs = (7 * 2 + 7.0 / 8 * dense * 4 / 450e3) + (7 * 2 + 7.0 / 8 * expert * 4 / 450e3);
        assertThat(s.gradReduceUs()).isCloseTo(rs, within(1e-6));
        // Parameter all-gather in bf16, same ring.
        double ag = (7 * 2 + 7.0 / 8 * dense * 2 / 450e3) + (7 * 2 + 7.0 / 8 * expert * 2 / 450e3);
        assertThat(s.paramGatherUs()).isCloseTo(ag, within(1e-6));
    }

    @Test
    void pipelineSendByHand() {
        // 16 GPUs / pp 2 = 8 per stage, a stage per node: the send crosses nodes. 1024 x 256 x 2 B / tp 1
        // = 524,288 B at 50e3 B/us + 5 us.
        StagePrice s = price(spec(1, 2, 1, false), Recompute.NONE).get(0);
        assertThat(s.sendUs()).isCloseTo(5 + 524_288 / 50e3, within(1e-9));
    }

    /** The MODEL's attention, norms, vocabulary and layers, dense with FFN {@code ffn} (no moe section). */
    static ModelSpec dense(int ffn) {
        return new ModelSpec(256, 4, 0, ffn, 1000, false, DType.BF16, new GqaAttention(8, 2, 32), null);
    }

    static List<StagePrice> priceDense(ModelSpec model, ParallelismSpec p) {
        ParallelLayout layout = ParallelLayout.of(p, new TrainingSpec(16, 1, 1024, Recompute.NONE, null), model,
                CLUSTER);
        return new TrainingStepPricer(model, layout, BF16, TOY, 0).price();
    }

    @Test
    void denseModelPricesItsFfnByHandAndNoExpertWork() {
        // tp 1, pp 2: 2 layers per stage, 1024 tokens per micro-batch. A SwiGLU FFN of hidden f: up GEMM
        // 2 x 1024 x 2f x 256 and down GEMM 2 x 1024 x 256 x f FLOPs = 1,572,864 f -> 1.572864 f us at
        // 1 us per MFLOP; the activation reads gate and up and writes their product, 1024 x f x 3 x 2 bytes
        // = 0.006144 f us. Doubling f from 1024 to 2048 adds 1024 x (1.572864 + 0.006144) = 1616.904192 us
        // per layer to the forward, 3233.808384 us for the stage's 2 layers; the backward twice that.
        StagePrice small = priceDense(dense(1024), spec(1, 2, 1, true)).get(0);
        StagePrice large = priceDense(dense(2048), spec(1, 2, 1, true)).get(0);
        assertThat(large.forwardUs() - small.forwardUs()).isCloseTo(3233.808384, within(1e-6));
        assertThat(large.backwardUs() - small.backwardUs()).isCloseTo(2 * 3233.808384, within(1e-6));
        assertThat(small.epUs()).isZero();
        assertThat(small.layers()).isEqualTo(2);
        // Stage weights: per layer attention q 256x256 + k,v 2 x 256x64 + o 256x256 = 163,840, two norms 512,
        // FFN 3 x 256 x 1024 = 786,432 -> 950,784; stage 0 adds the embedding 1000 x 256, the last stage the
        // LM head and the final norm 256. Nothing is an expert weight.
        ParallelLayout layout = ParallelLayout.of(spec(1, 2, 1, true), new TrainingSpec(16, 1, 1024, null, null),
                dense(1024), CLUSTER);
        assertThat(TrainingMemory.stageParams(dense(1024), layout, 0).dense()).isEqualTo(2 * 950_784 + 256_000);
        assertThat(TrainingMemory.stageParams(dense(1024), layout, 1).dense()).isEqualTo(2 * 950_784 + 256_000 + 256);
        assertThat(TrainingMemory.stageParams(dense(1024), layout, 1).expert()).isZero();
    }
}
