// MoHGE Explorer CUDA kernels, one module: router, permutation, grouped expert GEMMs, combine.
// Built by build.sh into PTX (compute_80) and a fatbin (sm_90 SASS + compute_80 PTX), loaded by
// org.mohge.gpu.cuda.CudaLayerBackend with cuModuleLoadData.
#include "router.cuh"
#include "permute.cuh"
#include "grouped_gemm.cuh"
#include "combine.cuh"

// f32 -> bf16 conversion for weights uploaded as fp32 (n elements).
extern "C" __global__ void f32_to_bf16(const float* __restrict__ src, __nv_bfloat16* __restrict__ dst, long long n) {
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    long long stride = (long long)gridDim.x * blockDim.x;
    for (; i < n; i += stride) dst[i] = __float2bfloat16(src[i]);
}
