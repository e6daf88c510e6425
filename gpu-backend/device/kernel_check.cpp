// Stand-alone check of the grouped GEMM kernels through the CUDA driver API, independent of Java/JCuda:
// loads the same PTX (or fatbin) the Java backend ships, checks grouped_gemm_swiglu/gelu/plain against
// a host fp32 reference on ragged shapes (empty experts, K and N tails), then times large grouped GEMMs.
//   build: nvcc -O2 -std=c++17 -o kernel_check kernel_check.cpp -lcuda
//   run:   ./kernel_check mohge_kernels.ptx   (prints JSON; exit 1 if a check fails)
#include <cuda.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#define CK(call)                                                                    \
  do {                                                                              \
    CUresult r_ = (call);                                                           \
    if (r_ != CUDA_SUCCESS) {                                                       \
      const char* s_ = nullptr;                                                     \
      cuGetErrorString(r_, &s_);                                                    \
      std::printf("{\"error\": \"%s failed: %s\"}\n", #call, s_ ? s_ : "?");        \
      std::exit(2);                                                                 \
    }                                                                               \
  } while (0)

static uint16_t f2bf(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  if ((b & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((b >> 16) | 0x40);
  b += ((b >> 16) & 1) + 0x7fff;
  return (uint16_t)(b >> 16);
}
static float bf2f(uint16_t h) {
  uint32_t b = (uint32_t)h << 16;
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}

struct Desc {  // matches struct ExpertDesc in grouped_gemm.cuh (48 bytes)
  long long b0, b1, a, c;
  int rows, K, N, pad;
};

struct Plan {
  std::vector<Desc> descs;
  std::vector<int> tiles;
};

static Plan plan(const std::vector<Desc>& d, int bn) {
  Plan p{d, {}};
  for (size_t e = 0; e < d.size(); ++e)
    for (int m = 0; m < (d[e].rows + 127) / 128; ++m)
      for (int n = 0; n < (d[e].N + bn - 1) / bn; ++n) {
        p.tiles.push_back((int)e);
        p.tiles.push_back(m);
        p.tiles.push_back(n);
      }
  return p;
}

struct Dev {
  CUdeviceptr p = 0;
  size_t n = 0;
  explicit Dev(size_t bytes) : n(bytes < 256 ? 256 : bytes) { CK(cuMemAlloc(&p, n)); }
  ~Dev() { cuMemFree(p); }
  void put(const void* h, size_t bytes) { CK(cuMemcpyHtoD(p, h, bytes)); }
  void get(void* h, size_t bytes) { CK(cuMemcpyDtoH(h, p, bytes)); }
};

static CUmodule mod;

static float launch(const char* name, const Plan& p, CUdeviceptr a, CUdeviceptr w, CUdeviceptr c, int repeats) {
  CUfunction f;
  CK(cuModuleGetFunction(&f, mod, name));
  Dev dd(p.descs.size() * sizeof(Desc)), dt(p.tiles.size() * 4);
  dd.put(p.descs.data(), p.descs.size() * sizeof(Desc));
  dt.put(p.tiles.data(), p.tiles.size() * 4);
  void* args[] = {&dd.p, &dt.p, &a, &w, &c};
  unsigned tiles = (unsigned)(p.tiles.size() / 3);
  CUevent e0, e1;
  CK(cuEventCreate(&e0, 0));
  CK(cuEventCreate(&e1, 0));
  std::vector<float> ms;
  for (int r = 0; r < repeats + 1; ++r) {  // first run is a warm-up
    CK(cuEventRecord(e0, 0));
    if (tiles) CK(cuLaunchKernel(f, tiles, 1, 1, 256, 1, 1, 0, 0, args, nullptr));
    CK(cuEventRecord(e1, 0));
    CK(cuEventSynchronize(e1));
    float t;
    CK(cuEventElapsedTime(&t, e0, e1));
    if (r) ms.push_back(t);
  }
  cuEventDestroy(e0);
  cuEventDestroy(e1);
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

static std::vector<uint16_t> randomBf16(size_t n, std::mt19937& g, float scale) {
  std::uniform_real_distribution<float> u(-scale, scale);
  std::vector<uint16_t> v(n);
  for (auto& x : v) x = f2bf(u(g));
  return v;
}

// One FFN layer over ragged experts; mode 0 swiglu, 1 gelu. Returns max relative error of Y.
static double checkFfn(int mode, const std::vector<int>& rows, const std::vector<int>& hidden, int d, bool& ok) {
  std::mt19937 g(1234 + mode);
  int E = (int)rows.size();
  std::vector<long long> rowOff(E + 1, 0), hOff(E + 1, 0), wg(E), wu(E), wd(E);
  long long woff = 0;
  for (int e = 0; e < E; ++e) {
    rowOff[e + 1] = rowOff[e] + rows[e];
    hOff[e + 1] = hOff[e] + (long long)rows[e] * hidden[e];
    wg[e] = woff;
    if (mode == 0) woff += (long long)d * hidden[e];
    wu[e] = woff;
    woff += (long long)d * hidden[e];
    wd[e] = woff;
    woff += (long long)d * hidden[e];
  }
  long long R = rowOff[E];
  auto A = randomBf16((size_t)R * d, g, 1.0f);
  auto W = randomBf16((size_t)woff, g, 1.0f / std::sqrt((float)d));
  std::vector<Desc> first, second;
  for (int e = 0; e < E; ++e) {
    first.push_back({mode == 0 ? wg[e] : wu[e], wu[e], rowOff[e] * d, hOff[e], rows[e], d, hidden[e], 0});
    second.push_back({wd[e], wd[e], hOff[e], rowOff[e] * d, rows[e], hidden[e], d, 0});
  }
  Dev dA(A.size() * 2), dW(W.size() * 2), dH(hOff[E] * 2), dY(R * d * 4);
  dA.put(A.data(), A.size() * 2);
  dW.put(W.data(), W.size() * 2);
  launch(mode == 0 ? "grouped_gemm_swiglu" : "grouped_gemm_gelu", plan(first, mode == 0 ? 64 : 128), dA.p, dW.p, dH.p, 1);
  launch("grouped_gemm_plain", plan(second, 128), dH.p, dW.p, dY.p, 1);
  std::vector<uint16_t> H(hOff[E]);
  std::vector<float> Y(R * d);
  if (!H.empty()) dH.get(H.data(), H.size() * 2);
  if (!Y.empty()) dY.get(Y.data(), Y.size() * 4);
  double maxErr = 0, maxRef = 0, hErr = 0;
  for (int e = 0; e < E; ++e) {
    int Wn = hidden[e];
    for (int r = 0; r < rows[e]; ++r) {
      const uint16_t* a = &A[(rowOff[e] + r) * d];
      std::vector<float> h(Wn);
      for (int j = 0; j < Wn; ++j) {
        float gs = 0, us = 0;
        for (int k = 0; k < d; ++k) {
          float av = bf2f(a[k]);
          us += av * bf2f(W[wu[e] + (long long)k * Wn + j]);
          if (mode == 0) gs += av * bf2f(W[wg[e] + (long long)k * Wn + j]);
        }
        float v = mode == 0 ? gs / (1.f + std::exp(-gs)) * us
                            : 0.5f * us * (1.f + std::tanh(0.7978845608f * (us + 0.044715f * us * us * us)));
        h[j] = bf2f(f2bf(v));
        hErr = std::max(hErr, (double)std::fabs(h[j] - bf2f(H[hOff[e] + (long long)r * Wn + j])));
      }
      for (int c = 0; c < d; ++c) {
        float y = 0;
        for (int j = 0; j < Wn; ++j) y += h[j] * bf2f(W[wd[e] + (long long)j * d + c]);
        maxRef = std::max(maxRef, (double)std::fabs(y));
        maxErr = std::max(maxErr, (double)std::fabs(y - Y[(rowOff[e] + r) * d + c]));
      }
    }
  }
  double rel = maxRef > 0 ? maxErr / maxRef : maxErr;
  bool pass = rel <= 2e-2;
  ok &= pass;
  std::printf("  {\"check\": \"%s\", \"maxRelErr\": %.3e, \"maxAbsErrH\": %.3e, \"pass\": %s},\n",
              mode == 0 ? "grouped_gemm_swiglu+plain" : "grouped_gemm_gelu+plain", rel, hErr, pass ? "true" : "false");
  return rel;
}

static void perf(int experts, int tokensPerExpert, int d, int hidden) {
  long long R = (long long)experts * tokensPerExpert;
  long long per = (long long)d * hidden;
  auto cheap = [](size_t n, float scale) {  // values do not matter for timing; a hash is faster than an RNG
    std::vector<uint16_t> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = f2bf(((float)((i * 2654435761u) >> 8 & 0xffff) / 65535.f - 0.5f) * scale);
    return v;
  };
  auto A = cheap((size_t)R * d, 2.0f);
  Dev dA(R * d * 2), dW(3 * per * experts * 2), dH(R * hidden * 2), dY(R * d * 4);
  dA.put(A.data(), A.size() * 2);
  {
    auto W = cheap((size_t)(3 * per * experts), 0.04f);
    dW.put(W.data(), W.size() * 2);
  }
  std::vector<Desc> first, second;
  for (int e = 0; e < experts; ++e) {
    long long base = 3 * per * e;
    first.push_back({base, base + per, (long long)e * tokensPerExpert * d, (long long)e * tokensPerExpert * hidden,
                     tokensPerExpert, d, hidden, 0});
    second.push_back({base + 2 * per, base + 2 * per, (long long)e * tokensPerExpert * hidden,
                      (long long)e * tokensPerExpert * d, tokensPerExpert, hidden, d, 0});
  }
  float ms1 = launch("grouped_gemm_swiglu", plan(first, 64), dA.p, dW.p, dH.p, 10);
  float ms2 = launch("grouped_gemm_plain", plan(second, 128), dH.p, dW.p, dY.p, 10);
  double f1 = 2.0 * 2 * R * d * hidden, f2 = 2.0 * R * d * hidden;
  std::printf("  {\"perf\": {\"experts\": %d, \"tokensPerExpert\": %d, \"modelHidden\": %d, \"expertHidden\": %d}, "
              "\"gateUpMs\": %.4f, \"gateUpTflops\": %.1f, \"downMs\": %.4f, \"downTflops\": %.1f, \"ffnTflops\": %.1f},\n",
              experts, tokensPerExpert, d, hidden, ms1, f1 / ms1 / 1e9, ms2, f2 / ms2 / 1e9, (f1 + f2) / (ms1 + ms2) / 1e9);
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: kernel_check mohge_kernels.ptx|.fatbin [--no-perf]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string image = ss.str();
  image.push_back('\0');
  CK(cuInit(0));
  CUdevice dev;
  CK(cuDeviceGet(&dev, 0));
  char name[256];
  CK(cuDeviceGetName(name, sizeof name, dev));
  CUcontext ctx;
  CK(cuDevicePrimaryCtxRetain(&ctx, dev));
  CK(cuCtxSetCurrent(ctx));
  CK(cuModuleLoadData(&mod, image.data()));
  std::printf("{\"device\": \"%s\", \"module\": \"%s\", \"results\": [\n", name, argv[1]);
  bool ok = true;
  // Ragged: an empty expert, 1 row, rows across tile edges; d=264 leaves a K tail, widths leave N tails.
  checkFfn(0, {0, 1, 130, 257, 64}, {72, 136, 200, 64, 8}, 264, ok);
  checkFfn(1, {3, 0, 300}, {40, 16, 520}, 136, ok);
  if (argc < 3 || std::strcmp(argv[2], "--no-perf") != 0) {
    perf(8, 2048, 4096, 4096);
    perf(8, 2048, 4096, 1024);
    perf(64, 256, 4096, 1024);
    perf(16, 1024, 2048, 2048);
  }
  std::printf("  {\"pass\": %s}\n]}\n", ok ? "true" : "false");
  return ok ? 0 : 1;
}
