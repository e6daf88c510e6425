// Grouped bf16 GEMM on tensor cores (WMMA 16x16x16, fp32 accumulate) with cp.async double
// buffering. One launch covers every expert: each expert has its own token count (rows), reduction
// width K and output width N (so groups of different hidden sizes share one launch), described by
// an ExpertDesc; the host lists the (expert, mTile, nTile) output tiles that exist and launches one
// block per tile.
//
// Modes: SWIGLU  H = silu(A Wg) * (A Wu)  -> bf16   (gate and up fused: one pass over A)
//        GELU    H = gelu_tanh(A Wu)      -> bf16
//        PLAIN   C = A B                  -> fp32   (the down projection)
// Launch: grouped_gemm_<mode>(descs, tiles, A, W, C), grid = number of tiles, 256 threads, where
// tiles[3*i..3*i+2] = (expert, mTile, nTile) with 128-row tiles and GG_BN_<MODE>-column tiles.
// Requirements (checked by the host): K % 8 == 0 and N % 8 == 0 (16-byte cp.async chunks), all
// offsets multiples of 8 elements, base pointers 16-byte aligned.
#pragma once
#include <cuda_bf16.h>
#include <mma.h>

using namespace nvcuda;

// Packed by the host (CudaExecutableLayer.descs): 4 x s64 then 4 x s32, 48 bytes, little-endian.
// All four are element offsets into the launch's base arrays (not byte addresses), multiples of 8.
struct ExpertDesc {
    long long b0;  // in W: gate (SWIGLU) or the only weight matrix [K x N], bf16 row-major
    long long b1;  // in W: up (SWIGLU only) [K x N]
    long long a;   // in A: this expert's first row [rows x K], bf16 row-major
    long long c;   // in C: this expert's first row [rows x N], bf16 (SWIGLU/GELU) or fp32 (PLAIN)
    int rows;
    int K;
    int N;
    int pad;
};

#define GG_MODE_SWIGLU 0
#define GG_MODE_GELU 1
#define GG_MODE_PLAIN 2
#define GG_BM 128
#define GG_BK 32
#define GG_PAD 8
#define GG_THREADS 256

__device__ __forceinline__ void cp_async16(void* smemPtr, const void* gmemPtr, int srcBytes) {
    unsigned s = static_cast<unsigned>(__cvta_generic_to_shared(smemPtr));
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(s), "l"(gmemPtr), "r"(srcBytes));
}

__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::); }

template <int N>
__device__ __forceinline__ void cp_async_wait() { asm volatile("cp.async.wait_group %0;\n" ::"n"(N)); }

__device__ __forceinline__ float silu_f(float g) { return g / (1.f + expf(-g)); }

__device__ __forceinline__ float gelu_tanh_f(float x) {
    return 0.5f * x * (1.f + tanhf(0.7978845608028654f * (x + 0.044715f * x * x * x)));
}

template <int MODE, int BN>
__device__ __forceinline__ void grouped_gemm_body(const ExpertDesc* __restrict__ descs, const int* __restrict__ tiles,
                                                  const __nv_bfloat16* __restrict__ Abase,
                                                  const __nv_bfloat16* __restrict__ Wbase, void* __restrict__ Cbase) {
    constexpr int NB = MODE == GG_MODE_SWIGLU ? 2 : 1;   // weight matrices streamed together
    constexpr int LDA = GG_BK + GG_PAD;
    constexpr int LDB = BN + GG_PAD;
    constexpr int A_STAGE = GG_BM * LDA;                 // bf16 elements
    constexpr int B_STAGE = GG_BK * LDB;
    constexpr int STAGE = A_STAGE + NB * B_STAGE;
    constexpr int WN = BN / 2;                           // warps: 4 along M (32 rows each) x 2 along N
    constexpr int FN = WN / 16;
    constexpr int A_CHUNKS = GG_BM * GG_BK / 8;
    constexpr int B_CHUNKS = GG_BK * BN / 8;
    static_assert(2 * STAGE * 2 >= 8 * 16 * 16 * 4, "epilogue scratch must fit in the pipeline buffers");
    __shared__ __align__(128) __nv_bfloat16 smem[2 * STAGE];

    const int tile = blockIdx.x;
    const int e = tiles[3 * tile];
    const int m0 = tiles[3 * tile + 1] * GG_BM;
    const int n0 = tiles[3 * tile + 2] * BN;
    const ExpertDesc ds = descs[e];
    const int rows = ds.rows, K = ds.K, N = ds.N;
    const __nv_bfloat16* A = Abase + ds.a;
    const __nv_bfloat16* B[2] = {Wbase + ds.b0, Wbase + ds.b1};
    const int tid = threadIdx.x;
    const int warp = tid >> 5;
    const int lane = tid & 31;
    const int wm = warp & 3;
    const int wn = warp >> 2;

    wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[NB][2][FN];
#pragma unroll
    for (int b = 0; b < NB; ++b)
#pragma unroll
        for (int i = 0; i < 2; ++i)
#pragma unroll
            for (int j = 0; j < FN; ++j) wmma::fill_fragment(acc[b][i][j], 0.f);

    auto load_stage = [&](int stage, int k0) {
        __nv_bfloat16* As = smem + stage * STAGE;
#pragma unroll
        for (int c = tid; c < A_CHUNKS; c += GG_THREADS) {
            int r = c / (GG_BK / 8);
            int kc = (c % (GG_BK / 8)) * 8;
            int gr = m0 + r;
            int gk = k0 + kc;
            bool valid = gr < rows && gk < K;
            const __nv_bfloat16* src = valid ? A + (size_t)gr * K + gk : A;
            cp_async16(As + r * LDA + kc, src, valid ? 16 : 0);
        }
#pragma unroll
        for (int b = 0; b < NB; ++b) {
            __nv_bfloat16* Bs = smem + stage * STAGE + A_STAGE + b * B_STAGE;
#pragma unroll
            for (int c = tid; c < B_CHUNKS; c += GG_THREADS) {
                int r = c / (BN / 8);
                int nc = (c % (BN / 8)) * 8;
                int gk = k0 + r;
                int gn = n0 + nc;
                bool valid = gk < K && gn < N;
                const __nv_bfloat16* src = valid ? B[b] + (size_t)gk * N + gn : B[b];
                cp_async16(Bs + r * LDB + nc, src, valid ? 16 : 0);
            }
        }
        cp_async_commit();
    };

    const int kTiles = (K + GG_BK - 1) / GG_BK;
    load_stage(0, 0);
    for (int kt = 0; kt < kTiles; ++kt) {
        if (kt + 1 < kTiles) {
            load_stage((kt + 1) & 1, (kt + 1) * GG_BK);   // prefetch the next K slice into the other buffer
            cp_async_wait<1>();
        } else {
            cp_async_wait<0>();
        }
        __syncthreads();
        const __nv_bfloat16* As = smem + (kt & 1) * STAGE;
#pragma unroll
        for (int kk = 0; kk < GG_BK; kk += 16) {
            wmma::fragment<wmma::matrix_a, 16, 16, 16, __nv_bfloat16, wmma::row_major> af[2];
#pragma unroll
            for (int i = 0; i < 2; ++i) wmma::load_matrix_sync(af[i], As + (wm * 32 + i * 16) * LDA + kk, LDA);
#pragma unroll
            for (int b = 0; b < NB; ++b) {
                const __nv_bfloat16* Bs = As + A_STAGE + b * B_STAGE;
#pragma unroll
                for (int j = 0; j < FN; ++j) {
                    wmma::fragment<wmma::matrix_b, 16, 16, 16, __nv_bfloat16, wmma::row_major> bf;
                    wmma::load_matrix_sync(bf, Bs + kk * LDB + wn * WN + j * 16, LDB);
#pragma unroll
                    for (int i = 0; i < 2; ++i) wmma::mma_sync(acc[b][i][j], af[i], bf, acc[b][i][j]);
                }
            }
        }
        __syncthreads();   // everyone is done with this buffer before it is refilled
    }

    // Epilogue: activation on the accumulators (gate and up fragments share one element layout),
    // then through a per-warp 16x16 fp32 scratch to bounds-checked global stores.
    float* scratch = reinterpret_cast<float*>(smem) + warp * 256;
#pragma unroll
    for (int i = 0; i < 2; ++i) {
#pragma unroll
        for (int j = 0; j < FN; ++j) {
            if (MODE == GG_MODE_SWIGLU) {
#pragma unroll
                for (int q = 0; q < acc[0][i][j].num_elements; ++q)
                    acc[0][i][j].x[q] = silu_f(acc[0][i][j].x[q]) * acc[NB - 1][i][j].x[q];
            } else if (MODE == GG_MODE_GELU) {
#pragma unroll
                for (int q = 0; q < acc[0][i][j].num_elements; ++q) acc[0][i][j].x[q] = gelu_tanh_f(acc[0][i][j].x[q]);
            }
            wmma::store_matrix_sync(scratch, acc[0][i][j], 16, wmma::mem_row_major);
            __syncwarp();
#pragma unroll
            for (int q = 0; q < 8; ++q) {
                int idx = lane * 8 + q;
                int r = idx >> 4;
                int c = idx & 15;
                int gr = m0 + wm * 32 + i * 16 + r;
                int gc = n0 + wn * WN + j * 16 + c;
                if (gr < rows && gc < N) {
                    if (MODE == GG_MODE_PLAIN) {
                        (reinterpret_cast<float*>(Cbase) + ds.c)[(size_t)gr * N + gc] = scratch[idx];
                    } else {
                        (reinterpret_cast<__nv_bfloat16*>(Cbase) + ds.c)[(size_t)gr * N + gc] = __float2bfloat16(scratch[idx]);
                    }
                }
            }
            __syncwarp();
        }
    }
}

extern "C" __global__ void __launch_bounds__(GG_THREADS) grouped_gemm_swiglu(const ExpertDesc* descs, const int* tiles,
        const __nv_bfloat16* A, const __nv_bfloat16* W, void* C) {
    grouped_gemm_body<GG_MODE_SWIGLU, 64>(descs, tiles, A, W, C);
}

extern "C" __global__ void __launch_bounds__(GG_THREADS) grouped_gemm_gelu(const ExpertDesc* descs, const int* tiles,
        const __nv_bfloat16* A, const __nv_bfloat16* W, void* C) {
    grouped_gemm_body<GG_MODE_GELU, 128>(descs, tiles, A, W, C);
}

extern "C" __global__ void __launch_bounds__(GG_THREADS) grouped_gemm_plain(const ExpertDesc* descs, const int* tiles,
        const __nv_bfloat16* A, const __nv_bfloat16* W, void* C) {
    grouped_gemm_body<GG_MODE_PLAIN, 128>(descs, tiles, A, W, C);
}

// Tile widths the host uses to enumerate tiles for each kernel.
#define GG_BN_SWIGLU 64
#define GG_BN_GELU 128
#define GG_BN_PLAIN 128
