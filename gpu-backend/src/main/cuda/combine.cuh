// Weighted un-permute / combine.
#pragma once

// Y[t, c] = sum_s weight[t*k+s] * Yp[slotPos[t*k+s], c] + sum_j Yp[slotPos[T*k + j*T + t], c]
// (routed slots first, in slot order, then the shared-expert slots, weight 1). One block per token.
extern "C" __global__ void combine_rows(const float* __restrict__ Yp, const int* __restrict__ slotPos,
                                        const float* __restrict__ weights, int T, int k, int shared, int d,
                                        float* __restrict__ Y) {
    int t = blockIdx.x;
    if (t >= T) return;
    for (int c = threadIdx.x; c < d; c += blockDim.x) {
        float acc = 0.f;
        for (int s = 0; s < k; ++s) {
            acc = fmaf(weights[t * k + s], Yp[(size_t)slotPos[t * k + s] * d + c], acc);
        }
        for (int j = 0; j < shared; ++j) {
            acc += Yp[(size_t)slotPos[T * k + j * T + t] * d + c];
        }
        Y[(size_t)t * d + c] = acc;
    }
}

// Partition runs: Y[permToken[p], c] += permWeight[p] * Yp[p, c] (a token may appear under several of
// the partition's experts, hence the atomics). One block per permuted row.
extern "C" __global__ void scatter_add_rows(const float* __restrict__ Yp, const int* __restrict__ permToken,
                                            const float* __restrict__ permWeight, int rows, int d,
                                            float* __restrict__ Y) {
    int p = blockIdx.x;
    if (p >= rows) return;
    float w = permWeight[p];
    float* dst = Y + (size_t)permToken[p] * d;
    const float* src = Yp + (size_t)p * d;
    for (int c = threadIdx.x; c < d; c += blockDim.x) atomicAdd(&dst[c], w * src[c]);
}
