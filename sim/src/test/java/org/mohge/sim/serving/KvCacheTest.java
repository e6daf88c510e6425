package org.mohge.sim.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.MlaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.UniformMoe;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.hardware.GpuCatalog;

/** KV pages per request and per replica, computed by hand. */
class KvCacheTest {
    /** Qwen3-30B-A3B: 48 layers, GQA with 4 KV heads of 128, bf16. */
    static final ModelSpec QWEN = new ModelSpec(2048, 48, 0, 0, 151936, false, DType.BF16,
            new GqaAttention(32, 4, 128, true), new UniformMoe(128, 768, 8, 0, 0, Activation.SWIGLU));
    /** DeepSeek-V3: 61 layers, MLA with a 512-wide latent and a 64-wide rope key, bf16. */
    static final ModelSpec DEEPSEEK = new ModelSpec(7168, 61, 3, 18432, 129280, false, DType.BF16,
            new MlaAttention(128, 1536, 512, 128, 64, 128), new UniformMoe(256, 2048, 8, 1, 2048, Activation.SWIGLU));

    @Test
    void gqaRequestPages() {
        // K and V: 2 x 4 heads x 128 x 2 bytes = 2,048 bytes per layer; 48 layers = 98,304 bytes per token.
        assertThat(ServingDeployment.kvBytesPerToken(QWEN)).isEqualTo(98_304.0);
        // A 1,000-token prompt with 200 output tokens holds ceil(1,199 / 16) = 75 pages of 16 tokens at its end
        // (the last output token is never fed back): 75 x 16 x 98,304 bytes = 117,964,800 bytes.
        KvCache kv = new KvCache(1000, 16);
        assertThat(kv.blocksFor(1000 + 200 - 1)).isEqualTo(75);
        assertThat(kv.blocksFor(1199) * 16 * ServingDeployment.kvBytesPerToken(QWEN)).isEqualTo(117_964_800.0);
        // Tensor parallel 8 splits the 4 KV heads over 4 GPUs (two GPUs share a head): 24,576 bytes per GPU.
        assertThat(ServingDeployment.kvBytesPerTokenPerGpu(QWEN, 8)).isEqualTo(24_576.0);
    }

    @Test
    void mlaRequestPages() {
        // Latent 512 + rope key 64 = 576 values x 2 bytes = 1,152 bytes per layer; 61 layers = 70,272 bytes.
        assertThat(ServingDeployment.kvBytesPerToken(DEEPSEEK)).isEqualTo(70_272.0);
        // 4,096 + 512 - 1 tokens in pages of 64: ceil(4,607 / 64) = 72 pages.
        assertThat(new KvCache(10, 64).blocksFor(4607)).isEqualTo(72);
        // MLA's latent is not split by tensor parallelism: every GPU of a tp=8 rank keeps all of it.
        assertThat(ServingDeployment.kvBytesPerTokenPerGpu(DEEPSEEK, 8)).isEqualTo(70_272.0);
    }

    @Test
    void replicaPagesFromMemoryLeftAfterWeights() {
        // Qwen3-30B-A3B has 30,532,122,624 parameters (HF config: 48 x (attention 2048x4096 q, 2 x 2048x512 kv,
        // 4096x2048 o, 2 x 128 qk-norm, 2 x 2048 layer norms, router 2048x128, 128 experts x 3 x 2048 x 768)
        // + 2 x 151,936 x 2048 embeddings + 2048 final norm).
        long attention = 2048L * 4096 + 2 * 2048L * 512 + 4096L * 2048 + 2 * 128;
        long perLayer = attention + 2 * 2048 + 2048L * 128 + 128L * 3 * 2048 * 768;
        long total = 48 * perLayer + 2L * 151_936 * 2048 + 2048;
        assertThat(total).isEqualTo(30_532_122_624L);
        ClusterSpec h100 = ClusterSpec.of(GpuCatalog.get("h100-sxm"), 1, 1);
        // One H100 (79.6 GiB): 0.9 x 79.6 GiB - 2 GiB reserve - 2 x total bytes of weights, in pages of 16 x 98,304 bytes.
        double free = 0.9 * 79.6 * (1L << 30) - 2.0 * (1L << 30) - 2.0 * total;
        long expected = (long) Math.floor(free / (16 * 98_304.0));
        int blocks = ServingDeployment.kvBlocksPerReplica(QWEN, h100, PoolSpec.single(), KvCacheSpec.defaults(),
                "serving.deployment");
        assertThat(blocks).isEqualTo((int) expected);
        // Two data-parallel attention ranks on two GPUs with the experts split: twice the pages of one rank.
        double free2 = 0.9 * 79.6 * (1L << 30) - 2.0 * (1L << 30)
                - 2.0 * (total - 48L * 128 * 3 * 2048 * 768) - 2.0 * 48L * 128 * 3 * 2048 * 768 / 2;
        ClusterSpec twoH100 = ClusterSpec.of(GpuCatalog.get("h100-sxm"), 1, 2);
        assertThat(ServingDeployment.kvBlocksPerReplica(QWEN, twoH100, new PoolSpec(1, 1, 2, null),
                KvCacheSpec.defaults(), "serving.deployment"))
                .isEqualTo(2 * (int) Math.floor(free2 / (16 * 98_304.0)));
    }
    @Test
    void fp8KvCacheHoldsTwiceTheTokens() {
        // The same H100 and weights as above, KV values of 1 byte: pages of 16 x 49,152 bytes.
        long attention = 2048L * 4096 + 2 * 2048L * 512 + 4096L * 2048 + 2 * 128;
        long total = 48 * (attention + 2 * 2048 + 2048L * 128 + 128L * 3 * 2048 * 768) + 2L * 151_936 * 2048 + 2048;
        double free = 0.9 * 79.6 * (1L << 30) - 2.0 * (1L << 30) - 2.0 * total;
        ClusterSpec h100 = ClusterSpec.of(GpuCatalog.get("h100-sxm"), 1, 1);
        int bf16 = ServingDeployment.kvBlocksPerReplica(QWEN, h100, PoolSpec.single(), KvCacheSpec.defaults(),
                "serving.deployment");
        int fp8 = ServingDeployment.kvBlocksPerReplica(QWEN, h100, PoolSpec.single(),
                new KvCacheSpec(null, null, null, null, DType.FP8), "serving.deployment");
        assertThat(fp8).isEqualTo((int) Math.floor(free / (16 * 49_152.0)));
        // floor(2x) is 2 floor(x) or one more
        assertThat(fp8 - 2 * bf16).isBetween(0, 1);
        assertThat(ServingDeployment.kvBytesPerToken(QWEN, 1)).isEqualTo(49_152.0);
    }

    @Test
    void requestsWithTheSamePrefixShareItsFullPages() {
        // Pages of 16 tokens. Two 50-token prompts with a 40-token hit on prefix 7: the hit's 2 full pages (32
        // tokens) are shared, the 8 hit tokens of page 3 are each request's own. Each request holds
        // ceil(50 / 16) - 2 = 2 pages alone: 2 shared + 2 + 2 = 6 pages, not 8.
        KvCache kv = new KvCache(100, 16);
        Request a = new Request(0, new Arrival(0, 50, 5, 40, 7));
        Request b = new Request(1, new Arrival(0, 50, 5, 40, 7));
        assertThat(kv.grow(a, 50)).isTrue();
        assertThat(kv.usedBlocks()).isEqualTo(4);
        assertThat(kv.grow(b, 50)).isTrue();
        assertThat(kv.usedBlocks()).isEqualTo(6);
        // A longer hit on the same prefix (72 tokens: 4 full pages) extends it by 2 pages; the request needs
        // ceil(80 / 16) - 4 = 1 page of its own.
        Request c = new Request(2, new Arrival(0, 80, 5, 72, 7));
        assertThat(kv.grow(c, 80)).isTrue();
        assertThat(kv.usedBlocks()).isEqualTo(6 + 2 + 1);
        // Another prefix, or no prefix id, shares nothing: ceil(50 / 16) = 4 pages each.
        Request other = new Request(3, new Arrival(0, 50, 5, 40, 8));
        Request none = new Request(4, new Arrival(0, 50, 5, 40));
        assertThat(kv.grow(other, 50)).isTrue();
        assertThat(kv.grow(none, 50)).isTrue();
        assertThat(kv.usedBlocks()).isEqualTo(9 + 4 + 4);
        // The prefix's 4 pages go when the last request on it leaves.
        kv.release(a);
        kv.release(c);
        assertThat(kv.usedBlocks()).isEqualTo(17 - 2 - 1);
        kv.release(b);
        assertThat(kv.usedBlocks()).isEqualTo(14 - 2 - 4);
        kv.release(other);
        kv.release(none);
        assertThat(kv.usedBlocks()).isZero();
        // All or nothing: with 3 free pages a new prefix of 2 pages plus 2 own pages does not fit.
        KvCache small = new KvCache(3, 16);
        assertThat(small.grow(new Request(5, new Arrival(0, 50, 5, 40, 9)), 50)).isFalse();
        assertThat(small.usedBlocks()).isZero();
    }

    @Test
    void pagesGrowAndRelease() {
        KvCache kv = new KvCache(4, 16);
        Request r = new Request(0, new Arrival(0, 20, 5, 0));
        assertThat(kv.grow(r, 20)).isTrue();
        assertThat(kv.usedBlocks()).isEqualTo(2);
        assertThat(kv.grow(r, 65)).as("65 tokens need 5 pages of 16, only 4 exist").isFalse();
        assertThat(kv.usedBlocks()).isEqualTo(2);
        kv.release(r);
        assertThat(kv.freeBlocks()).isEqualTo(4);
        assertThat(List.of(r.blocks())).containsExactly(0);
    }
}
