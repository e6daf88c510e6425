// Token permutation: counting sort of token-expert slots by expert, then a gather of X rows (as bf16).
#pragma once
#include <cuda_bf16.h>

// counts[e] += number of slots routed to e. counts must be zeroed first.
extern "C" __global__ void count_experts(const int* __restrict__ slotExpert, int slots, int* __restrict__ counts) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < slots) atomicAdd(&counts[slotExpert[i]], 1);
}

// Exclusive scan of counts[0..E) into offsets[0..E], single block (E is at most a few thousand);
// fill[e] = offsets[e] (the cursor assign_positions advances).
extern "C" __global__ void scan_offsets(const int* __restrict__ counts, int E, int* __restrict__ offsets,
                                        int* __restrict__ fill) {
    if (threadIdx.x == 0 && blockIdx.x == 0) {
        int run = 0;
        for (int e = 0; e < E; ++e) {
            offsets[e] = run;
            fill[e] = run;
            run += counts[e];
        }
        offsets[E] = run;
    }
}

// Position of each slot in the expert-sorted order (order within an expert is whatever the atomics
// give; every row is computed independently, so results do not depend on it).
// slotToken[i] = the token of slot i (i / k for routed slots; shared-expert slots are appended).
extern "C" __global__ void assign_positions(const int* __restrict__ slotExpert, const int* __restrict__ slotToken,
                                            int slots, int* __restrict__ fill, int* __restrict__ slotPos,
                                            int* __restrict__ permToken) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= slots) return;
    int pos = atomicAdd(&fill[slotExpert[i]], 1);
    slotPos[i] = pos;
    permToken[pos] = slotToken[i];
}

// Xp[p, :] = bf16(X[permToken[p], :]); one block per row.
extern "C" __global__ void gather_rows_bf16(const float* __restrict__ X, const int* __restrict__ permToken, int rows,
                                            int d, __nv_bfloat16* __restrict__ Xp) {
    int p = blockIdx.x;
    if (p >= rows) return;
    const float* src = X + (size_t)permToken[p] * d;
    __nv_bfloat16* dst = Xp + (size_t)p * d;
    for (int c = threadIdx.x; c < d; c += blockDim.x) dst[c] = __float2bfloat16(src[c]);
}
