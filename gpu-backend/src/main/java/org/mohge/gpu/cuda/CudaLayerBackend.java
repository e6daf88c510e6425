package org.mohge.gpu.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import jcuda.CudaException;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import org.mohge.gpu.api.ExecutableLayer;
import org.mohge.gpu.api.LayerBackend;
import org.mohge.gpu.api.LayerWeights;

/**
 * The CUDA backend: JCuda driver API only. Loads {@code mohge_kernels.fatbin} (sm_90 SASS + compute_80
 * PTX) with {@code cuModuleLoadData}, falling back to {@code mohge_kernels.ptx}, on device 0's
 * primary context; layers launch kernels with {@code cuLaunchKernel} and time them with CUDA events.
 * Open with {@link #open()}, which throws {@link CudaUnavailableException} instead of crashing.
 */
public final class CudaLayerBackend implements LayerBackend {
    static final String RESOURCE_DIR = "/org/mohge/gpu/cuda/";
    /**
     * Every kernel and its parameters, as the host passes them: {@code p} a device pointer, {@code i}
     * an int, {@code l} a long. Launches are checked against it, and a test checks it against the PTX.
     */
    static final Map<String, String> SIGNATURES = Map.ofEntries(
            Map.entry("router_logits_f32", "pppiii"),
            Map.entry("route_flat", "piiipp"),
            Map.entry("route_grouped", "ppppiiiiippp"),
            Map.entry("count_experts", "pip"),
            Map.entry("scan_offsets", "pipp"),
            Map.entry("assign_positions", "ppippp"),
            Map.entry("gather_rows_bf16", "ppiip"),
            Map.entry("grouped_gemm_swiglu", "ppppp"),
            Map.entry("grouped_gemm_gelu", "ppppp"),
            Map.entry("grouped_gemm_plain", "ppppp"),
            Map.entry("combine_rows", "pppiiiip"),
            Map.entry("scatter_add_rows", "pppiip"),
            Map.entry("f32_to_bf16", "ppl"));
    static final String[] KERNELS = SIGNATURES.keySet().stream().sorted().toArray(String[]::new);

    private final CudaAvailability availability;
    private final CUdevice device;
    private final CUcontext context;
    private final CUmodule module;
    private final String moduleSource;
    private final Map<String, CUfunction> functions = new HashMap<>();

    private CudaLayerBackend(CudaAvailability availability, CUdevice device, CUcontext context, CUmodule module,
                             String moduleSource) {
        this.availability = availability;
        this.device = device;
        this.context = context;
        this.module = module;
        this.moduleSource = moduleSource;
        for (String k : KERNELS) {
            CUfunction f = new CUfunction();
            cuModuleGetFunction(f, module, k);
            functions.put(k, f);
        }
    }

    /** Opens device 0 and loads the kernels, or throws {@link CudaUnavailableException} saying why. */
    public static CudaLayerBackend open() {
        CudaAvailability a = CudaAvailability.probe();
        if (!a.available()) {
            throw new CudaUnavailableException(a.reason(), null);
        }
        try {
            CUdevice device = new CUdevice();
            cuDeviceGet(device, 0);
            CUcontext context = new CUcontext();
            cuDevicePrimaryCtxRetain(context, device);
            cuCtxSetCurrent(context);
            CUmodule module = new CUmodule();
            String source;
            try {
                cuModuleLoadData(module, resource("mohge_kernels.fatbin", false));
                source = "mohge_kernels.fatbin";
            } catch (CudaException fatbinFailed) {
                module = new CUmodule();
                cuModuleLoadData(module, resource("mohge_kernels.ptx", true));
                source = "mohge_kernels.ptx";
            }
            return new CudaLayerBackend(a, device, context, module, source);
        } catch (CudaException | LinkageError e) {
            throw new CudaUnavailableException("cannot load the kernels (" + CudaAvailability.oneLine(e) + ")", e);
        }
    }

    /** A resource's bytes; PTX text gets the terminating NUL that cuModuleLoadData expects. */
    static byte[] resource(String name, boolean nulTerminate) {
        try (InputStream in = CudaLayerBackend.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new CudaUnavailableException("resource " + RESOURCE_DIR + name + " is missing (run src/main/cuda/build.sh)",
                        null);
            }
            byte[] bytes = in.readAllBytes();
            if (!nulTerminate) {
                return bytes;
            }
            byte[] out = java.util.Arrays.copyOf(bytes, bytes.length + 1);
            return out;
        } catch (IOException e) {
            throw new CudaUnavailableException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    CUfunction function(String name) {
        CUfunction f = functions.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no kernel " + name);
        }
        return f;
    }

    void makeCurrent() {
        cuCtxSetCurrent(context);
    }

    /** Which image the module came from: the fatbin, or the PTX fallback. */
    public String moduleSource() {
        return moduleSource;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String deviceName() {
        return availability.deviceName();
    }

    @Override
    public String dtype() {
        return "bf16";
    }

    @Override
    public ExecutableLayer load(LayerWeights weights) {
        makeCurrent();
        return new CudaExecutableLayer(this, weights);
    }

    @Override
    public void close() {
        makeCurrent();
        cuModuleUnload(module);
        cuDevicePrimaryCtxRelease(device);
    }
}
