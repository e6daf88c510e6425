package org.mohge.costmodel.hardware;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * GPUs the tool knows by name. Figures are NVIDIA's published dense (non-sparse) peaks; the
 * source of each is given beside it. Capacities are what {@code nvidia-smi} reports as total
 * memory, since that is what a job can plan with.
 */
public final class GpuCatalog {
    private static final Map<String, GpuSpec> GPUS = new LinkedHashMap<>();

    static {
        // NVIDIA A100 Tensor Core GPU datasheet (2021), SXM4 80GB column: BF16/FP16 312 TFLOPS dense,
        // no FP8; HBM2e 2,039 GB/s; 80 GB (81,920 MiB = 80 GiB). A100 whitepaper: 108 SMs, 40 MB L2.
        // NVLink 3: 600 GB/s total = 300 GB/s per direction. DGX A100: one 200 Gb/s HDR NIC per GPU = 25 GB/s.
        add(new GpuSpec("a100-sxm-80gb", 312, 312, 0.0, 2039, 80.0, 108, 40, 300, 25));
        // NVIDIA H100 Tensor Core GPU datasheet, SXM5 column: BF16/FP16 1,979 TFLOPS with sparsity
        // = 989.5 dense, FP8 3,958 sparse = 1,979 dense; HBM3 3.35 TB/s; 80 GB (81,559 MiB = 79.6 GiB).
        // H100 whitepaper: 132 SMs, 50 MB L2. NVLink 4: 900 GB/s total = 450 per direction.
        // DGX H100: one 400 Gb/s ConnectX-7 per GPU = 50 GB/s.
        add(new GpuSpec("h100-sxm", 989.5, 989.5, 1979.0, 3350, 79.6, 132, 50, 450, 50));
        // NVIDIA H200 Tensor Core GPU datasheet, SXM column: same tensor cores as H100 (989.5 / 1,979
        // dense); HBM3e 4.8 TB/s; 141 GB (143,771 MiB = 140.4 GiB); 132 SMs, 50 MB L2; NVLink 900 GB/s
        // total; HGX H200 with 400 Gb/s NICs.
        // H800 SXM5: the H100 SXM5 die for the Chinese market, same tensor cores (989.5 BF16 / 1,979 FP8
        // dense TFLOPS), 80 GB HBM3 at 3.35 TB/s, 132 SMs, 50 MB L2, with NVLink cut to 400 GB/s total =
        // 200 GB/s per direction (NVIDIA H800 product brief; DeepSeek-V3 report, arXiv 2412.19437, section
        // 3.1: "NVLink 160 GB/s achieved", "IB 50 GB/s" per GPU with 400 Gb/s ConnectX-7 NICs; DeepEP README).
        add(new GpuSpec("h800", 989.5, 989.5, 1979.0, 3350, 79.6, 132, 50, 200, 50));
        add(new GpuSpec("h200-sxm", 989.5, 989.5, 1979.0, 4800, 140.4, 132, 50, 450, 50));
        // NVIDIA DGX B200 datasheet: 72 PFLOPS FP8 training for 8 GPUs (sparse) = 4.5 PFLOPS dense per
        // GPU; BF16 half of that, 2.25 PFLOPS dense; 1,440 GB HBM3e for 8 GPUs = 180 GB each (about
        // 179 GiB usable, 183,359 MiB), 8 TB/s. Blackwell architecture brief: 148 SMs. The L2 size is not
        // in the datasheet: 126 MB is the figure public device queries report, approximate (the cost model
        // does not use L2 yet). NVLink 5: 1.8 TB/s total = 900 per direction.
        // DGX B200: eight 400 Gb/s ConnectX-7 = 50 GB/s per GPU. Blackwell's fifth-generation tensor
        // cores run the MX formats (MXFP8, MXFP6, MXFP4); Hopper's and Ampere's do not.
        add(new GpuSpec("b200", 2250, 2250, 4500.0, 8000, 179.0, 148, 126, 900, 50, true));
    }

    private GpuCatalog() {
    }

    private static void add(GpuSpec gpu) {
        GPUS.put(gpu.name(), gpu);
    }

    /** Looks a GPU up by name, ignoring case. */
    public static Optional<GpuSpec> find(String name) {
        return Optional.ofNullable(GPUS.get(name.toLowerCase(Locale.ROOT)));
    }

    public static GpuSpec get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown GPU '" + name + "'"));
    }

    public static List<String> names() {
        return List.copyOf(GPUS.keySet());
    }

    public static List<GpuSpec> all() {
        return List.copyOf(GPUS.values());
    }
}
