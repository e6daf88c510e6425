package org.mohge.costmodel.hardware;

import com.fasterxml.jackson.annotation.JsonProperty;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.spec.Require;
import org.mohge.costmodel.spec.SpecViolation;

/**
 * One GPU model. Peaks are dense tensor-core rates (no 2:4 sparsity); {@code hbmGiB} is the
 * capacity a process can allocate; {@code nvlinkGBps} and {@code nicGBps} are the per-GPU,
 * per-direction interconnect of the platform this GPU usually ships in (defaults for clusters);
 * {@code mxFormats} whether its tensor cores run the OCP microscaling formats (MXFP8; Blackwell
 * and later), default false.
 * In a scenario, {@code "gpu"} is either a catalog name ({@code "h100-sxm"}) or an object with
 * these fields.
 */
public record GpuSpec(@JsonProperty(required = true) String name, @JsonProperty(required = true) double bf16Tflops, @JsonProperty(required = true) double fp16Tflops, Double fp8Tflops, @JsonProperty(required = true) double hbmGBps,
                      @JsonProperty(required = true) double hbmGiB, @JsonProperty(required = true) int smCount, @JsonProperty(required = true) double l2MiB, @JsonProperty(required = true) double nvlinkGBps, @JsonProperty(required = true) double nicGBps,
                      Boolean mxFormats) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public GpuSpec {
        mxFormats = Require.orDefault(mxFormats, false);
        Require.text(name, "name");
        Require.positive(bf16Tflops, "bf16Tflops");
        Require.positive(fp16Tflops, "fp16Tflops");
        fp8Tflops = Require.orDefault(fp8Tflops, 0.0);
        Require.nonNegative(fp8Tflops, "fp8Tflops");
        Require.positive(hbmGBps, "hbmGBps");
        Require.positive(hbmGiB, "hbmGiB");
        Require.positive(smCount, "smCount");
        Require.positive(l2MiB, "l2MiB");
        Require.positive(nvlinkGBps, "nvlinkGBps");
        Require.positive(nicGBps, "nicGBps");
    }

    /** A GPU whose tensor cores do not run the microscaling formats. */
    public GpuSpec(String name, double bf16Tflops, double fp16Tflops, Double fp8Tflops, double hbmGBps, double hbmGiB,
                   int smCount, double l2MiB, double nvlinkGBps, double nicGBps) {
        this(name, bf16Tflops, fp16Tflops, fp8Tflops, hbmGBps, hbmGiB, smCount, l2MiB, nvlinkGBps, nicGBps, false);
    }

    /** Whether the tensor cores run FP8 at all. */
    public boolean hasFp8() {
        return fp8Tflops > 0;
    }

    /** A catalog GPU named in a scenario as a plain string. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static GpuSpec fromCatalog(String name) {
        return GpuCatalog.find(name).orElseThrow(() -> new SpecViolation("",
                "unknown GPU '" + name + "' (catalog: " + String.join(", ", GpuCatalog.names()) + ")"));
    }

    /** Dense tensor-core peak for {@code dtype}, in FLOP/s. */
    public double peakFlops(DType dtype) {
        double tflops = switch (dtype) {
            case BF16 -> bf16Tflops;
            case FP16 -> fp16Tflops;
            // fp32 matmuls run as TF32 on tensor cores at half the bf16 rate on A100/H100/H200/B200.
            case FP32 -> bf16Tflops / 2;
            case FP8 -> {
                if (!hasFp8()) {
                    throw new IllegalArgumentException("GPU " + name + " has no fp8 tensor cores");
                }
                yield fp8Tflops;
            }
        };
        return tflops * 1e12;
    }

    public double hbmBytesPerSecond() {
        return hbmGBps * 1e9;
    }

    public long hbmBytes() {
        return (long) (hbmGiB * (1L << 30));
    }
}
