package org.mohge.costmodel.calibration;

import java.util.Arrays;
import java.util.Set;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.DType;
import org.mohge.costmodel.arch.GqaAttention;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.UniformMoe;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.cost.GemmShape;
import org.mohge.costmodel.cost.LayerOps;

/**
 * What a cost model predicts for a measured kernel, through the same {@link LayerOps} code the
 * simulator uses, so a calibration fitted here prices the simulator's ops the way the device ran
 * them. Kernels:
 * <ul>
 *   <li>{@code gemm*}: one GEMM, shape {@code m, n, k};</li>
 *   <li>{@code expert_ffn}: {@code experts} SwiGLU experts of hidden {@code expertHidden}, each with
 *       {@code tokensPerExpert} tokens of width {@code modelHidden} (a GPU partition's work).</li>
 * </ul>
 */
public final class KernelPredictor {
    private static final Set<String> FFN_KERNELS = Set.of("expert_ffn");

    private KernelPredictor() {
    }

    public static boolean supports(Measurement m) {
        return m.kernel().startsWith("gemm") || FFN_KERNELS.contains(m.kernel());
    }

    public static DType dtype(Measurement m) {
        return DType.fromLabel(m.dtype());
    }

    public static double predictUs(CostModel costModel, Measurement m) {
        DType dtype = dtype(m);
        if (m.kernel().startsWith("gemm")) {
            return costModel.gemm(new GemmShape(m.dim("m"), m.dim("n"), m.dim("k")), dtype).timeUs();
        }
        if (FFN_KERNELS.contains(m.kernel())) {
            int experts = m.dim("experts");
            int d = m.dim("modelHidden");
            int w = m.dim("expertHidden");
            double[] tokens = new double[experts];
            int[] hidden = new int[experts];
            Arrays.fill(tokens, m.dim("tokensPerExpert"));
            Arrays.fill(hidden, w);
            return expertOps(costModel, d, w, experts, dtype).experts(tokens, hidden).timeUs();
        }
        throw new IllegalArgumentException("no prediction for kernel " + m.kernel());
    }

    /** LayerOps of a one-layer model whose only job is to price {@code experts} SwiGLU experts. */
    private static LayerOps expertOps(CostModel costModel, int modelHidden, int expertHidden, int experts, DType dtype) {
        ModelSpec model = new ModelSpec(modelHidden, 1, 0, 0, 1, true, dtype, new GqaAttention(1, 1, 1),
                new UniformMoe(experts, expertHidden, 1, 0, 0, Activation.SWIGLU));
        return new LayerOps(model, costModel);
    }
}
