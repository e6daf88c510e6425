// Router: fp32 logits GEMM and top-k routing at one or two levels.
// Selection compares logits; ties go to the lower index (same rule as the CPU reference).
#pragma once

#define ROUTER_TILE 16

// out[T x n] = X[T x d] * W[d x n], all fp32 row-major (the router is kept in fp32 so that the
// CUDA routing equals the CPU reference's wherever scores are not (near-)tied).
extern "C" __global__ void router_logits_f32(const float* __restrict__ X, const float* __restrict__ W,
                                             float* __restrict__ out, int T, int d, int n) {
    __shared__ float xs[ROUTER_TILE][ROUTER_TILE + 1];
    __shared__ float ws[ROUTER_TILE][ROUTER_TILE + 1];
    int row = blockIdx.y * ROUTER_TILE + threadIdx.y;
    int col = blockIdx.x * ROUTER_TILE + threadIdx.x;
    float acc = 0.f;
    for (int k0 = 0; k0 < d; k0 += ROUTER_TILE) {
        int kx = k0 + threadIdx.x;
        int kw = k0 + threadIdx.y;
        xs[threadIdx.y][threadIdx.x] = (row < T && kx < d) ? X[(size_t)row * d + kx] : 0.f;
        ws[threadIdx.y][threadIdx.x] = (kw < d && col < n) ? W[(size_t)kw * n + col] : 0.f;
        __syncthreads();
#pragma unroll
        for (int k = 0; k < ROUTER_TILE; ++k) {
            acc = fmaf(xs[threadIdx.y][k], ws[k][threadIdx.x], acc);
        }
        __syncthreads();
    }
    if (row < T && col < n) {
        out[(size_t)row * n + col] = acc;
    }
}

// Indices (relative to v) of the k largest of v[0..n), best first, lower index first among equals.
// Writes them to out; k <= 32 and n <= 4096 are checked by the host.
__device__ inline void topk_select(const float* v, int n, int k, int* out) {
    for (int s = 0; s < k; ++s) {
        int best = -1;
        float bestValue = 0.f;
        for (int i = 0; i < n; ++i) {
            bool used = false;
            for (int j = 0; j < s; ++j) {
                used |= (out[j] == i);
            }
            if (used) continue;
            float value = v[i];
            if (best < 0 || value > bestValue) {
                best = i;
                bestValue = value;
            }
        }
        out[s] = best;
    }
}

__device__ inline float row_max(const float* v, int n) {
    float m = v[0];
    for (int i = 1; i < n; ++i) m = fmaxf(m, v[i]);
    return m;
}

// Flat top-k (uniform, heterogeneous): experts[t*k+s], weights[t*k+s] = renormalised softmax.
extern "C" __global__ void route_flat(const float* __restrict__ logits, int T, int E, int k,
                                      int* __restrict__ experts, float* __restrict__ weights) {
    int t = blockIdx.x * blockDim.x + threadIdx.x;
    if (t >= T) return;
    const float* v = logits + (size_t)t * E;
    int chosen[32];
    topk_select(v, E, k, chosen);
    float m = v[chosen[0]];
    float p[32];
    float sum = 0.f;
    for (int s = 0; s < k; ++s) {
        p[s] = expf(v[chosen[s]] - m);
        sum += p[s];
    }
    for (int s = 0; s < k; ++s) {
        experts[t * k + s] = chosen[s];
        weights[t * k + s] = p[s] / sum;
    }
}

// Two-level (grouped): softmax over Ng group logits, top-kg groups; per kept group softmax over its
// experts' logits, top-ke; raw weight p_group * p_expert, renormalised over the kg*ke slots.
// groupFirst[g] is the index of group g's first expert, groupSize[g] its expert count.
extern "C" __global__ void route_grouped(const float* __restrict__ expertLogits, const float* __restrict__ groupLogits,
                                         const int* __restrict__ groupFirst, const int* __restrict__ groupSize,
                                         int T, int E, int Ng, int kg, int ke,
                                         int* __restrict__ groups, int* __restrict__ experts,
                                         float* __restrict__ weights) {
    int t = blockIdx.x * blockDim.x + threadIdx.x;
    if (t >= T) return;
    const float* gl = groupLogits + (size_t)t * Ng;
    int chosenGroups[32];
    topk_select(gl, Ng, kg, chosenGroups);
    float gmax = row_max(gl, Ng);
    float gsum = 0.f;
    for (int g = 0; g < Ng; ++g) gsum += expf(gl[g] - gmax);
    float raw[32];
    float total = 0.f;
    int slot = 0;
    int k = kg * ke;
    for (int j = 0; j < kg; ++j) {
        int g = chosenGroups[j];
        groups[t * kg + j] = g;
        float pg = expf(gl[g] - gmax) / gsum;
        const float* el = expertLogits + (size_t)t * E + groupFirst[g];
        int n = groupSize[g];
        int chosen[32];
        topk_select(el, n, ke, chosen);
        float emax = row_max(el, n);
        float esum = 0.f;
        for (int i = 0; i < n; ++i) esum += expf(el[i] - emax);
        for (int s = 0; s < ke; ++s) {
            raw[slot] = pg * expf(el[chosen[s]] - emax) / esum;
            total += raw[slot];
            experts[t * k + slot] = groupFirst[g] + chosen[s];
            ++slot;
        }
    }
    for (int s = 0; s < k; ++s) weights[t * k + s] = raw[s] / total;
}
