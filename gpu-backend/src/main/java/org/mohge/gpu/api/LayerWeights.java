package org.mohge.gpu.api;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.costmodel.arch.MoeLayerSpec;

/**
 * The weights of one MoE layer of width {@code modelHidden}.
 *
 * <ul>
 *   <li>{@code expertGate}: {@code d x E} router logits, one column per routed expert in model
 *       order (for grouped layers the columns of group g are the expert gate of group g);</li>
 *   <li>{@code groupGate}: {@code d x Ng} group-gate logits for grouped layers, an empty
 *       {@code 0 x 1} matrix for flat routers;</li>
 *   <li>{@code experts}: one {@link ExpertWeights} per routed expert, model order;</li>
 *   <li>{@code sharedExperts}: always-on experts, added with weight 1.</li>
 * </ul>
 */
public record LayerWeights(MoeLayerSpec spec, int modelHidden, FloatMatrix groupGate, FloatMatrix expertGate,
                           List<ExpertWeights> experts, List<ExpertWeights> sharedExperts) {

    public LayerWeights {
        if (spec == null) {
            throw new IllegalArgumentException("spec is required");
        }
        if (modelHidden <= 0) {
            throw new IllegalArgumentException("modelHidden must be > 0, got " + modelHidden);
        }
        experts = List.copyOf(experts);
        sharedExperts = List.copyOf(sharedExperts);
        List<ExpertShape> shapes = spec.expertShapes();
        if (experts.size() != shapes.size()) {
            throw new IllegalArgumentException("experts has " + experts.size() + " entries, the spec has " + shapes.size());
        }
        for (int i = 0; i < shapes.size(); i++) {
            checkExpert(experts.get(i), shapes.get(i).hidden(), modelHidden, spec.activation(), "experts[" + i + "]");
        }
        if (sharedExperts.size() != spec.sharedExperts()) {
            throw new IllegalArgumentException("sharedExperts has " + sharedExperts.size() + " entries, the spec has "
                    + spec.sharedExperts());
        }
        for (int i = 0; i < sharedExperts.size(); i++) {
            checkExpert(sharedExperts.get(i), spec.sharedExpertHidden(), modelHidden, spec.activation(),
                    "sharedExperts[" + i + "]");
        }
        if (expertGate.rows() != modelHidden || expertGate.cols() != shapes.size()) {
            throw new IllegalArgumentException("expertGate must be " + modelHidden + "x" + shapes.size() + ", got " + expertGate);
        }
        int groups = groupCount(spec);
        if (groups > 0 && (groupGate.rows() != modelHidden || groupGate.cols() != groups)) {
            throw new IllegalArgumentException("groupGate must be " + modelHidden + "x" + groups + ", got " + groupGate);
        }
        if (groups == 0 && groupGate.rows() != 0) {
            throw new IllegalArgumentException("groupGate must be empty for a flat router, got " + groupGate);
        }
    }

    private static void checkExpert(ExpertWeights w, int hidden, int d, Activation activation, String field) {
        if (w.hidden() != hidden || w.modelHidden() != d) {
            throw new IllegalArgumentException(field + " must be d=" + d + ", hidden=" + hidden + ", got d="
                    + w.modelHidden() + ", hidden=" + w.hidden());
        }
        if (w.activation() != activation) {
            throw new IllegalArgumentException(field + " must be a " + activation.label() + " expert");
        }
    }

    /** Number of groups of the two-level gate; 0 for flat (uniform, heterogeneous) routers. */
    public static int groupCount(MoeLayerSpec spec) {
        return spec instanceof GroupedMoe g ? g.groups().size() : 0;
    }

    /**
     * Seeded random weights: every matrix uniform in {@code [-1/sqrt(fanIn), 1/sqrt(fanIn))}.
     * Tensors are drawn in a fixed order (group gate, expert gate, each routed expert's gate, up,
     * down, then the shared experts), each from its own {@link SplittableRandom#split()} of
     * {@code new SplittableRandom(seed)}; same seed, same bits.
     */
    public static LayerWeights random(MoeLayerSpec spec, int modelHidden, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        double inScale = 1.0 / Math.sqrt(modelHidden);
        int groups = groupCount(spec);
        FloatMatrix groupGate = groups > 0
                ? FloatMatrix.random(modelHidden, groups, root.split(), inScale)
                : new FloatMatrix(0, 1, new float[0]);
        FloatMatrix expertGate = FloatMatrix.random(modelHidden, spec.expertCount(), root.split(), inScale);
        List<ExpertWeights> experts = new ArrayList<>();
        for (ExpertShape shape : spec.expertShapes()) {
            experts.add(randomExpert(spec.activation(), modelHidden, shape.hidden(), root.split()));
        }
        List<ExpertWeights> shared = new ArrayList<>();
        for (int i = 0; i < spec.sharedExperts(); i++) {
            shared.add(randomExpert(spec.activation(), modelHidden, spec.sharedExpertHidden(), root.split()));
        }
        return new LayerWeights(spec, modelHidden, groupGate, expertGate, experts, shared);
    }

    static ExpertWeights randomExpert(Activation activation, int d, int hidden, SplittableRandom rng) {
        double inScale = 1.0 / Math.sqrt(d);
        FloatMatrix gate = activation == Activation.SWIGLU
                ? FloatMatrix.random(d, hidden, rng.split(), inScale)
                : new FloatMatrix(0, hidden, new float[0]);
        FloatMatrix up = FloatMatrix.random(d, hidden, rng.split(), inScale);
        FloatMatrix down = FloatMatrix.random(hidden, d, rng.split(), 1.0 / Math.sqrt(hidden));
        return new ExpertWeights(hidden, gate, up, down);
    }

    /** Seeded random token batch {@code tokens x modelHidden}, entries uniform in [-1, 1). */
    public static FloatMatrix randomTokens(int tokens, int modelHidden, long seed) {
        return FloatMatrix.random(tokens, modelHidden, seed, 1.0);
    }

    public int expertCount() {
        return experts.size();
    }
}
