package org.mohge.gpu.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mohge.costmodel.arch.Activation;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.arch.MoeLayerSpec;

/**
 * Layer weights in a safetensors file. Tensor names (all row-major, shapes as {@link LayerWeights}):
 * <pre>
 * router.group_gate   [d, Ng]       grouped layers only
 * router.expert_gate  [d, E]
 * experts.{i}.gate    [d, W_i]      SwiGLU only
 * experts.{i}.up      [d, W_i]
 * experts.{i}.down    [W_i, d]
 * shared.{j}.gate|up|down           as experts, width sharedExpertHidden
 * </pre>
 * F32 or BF16. The layer spec and d come from the caller (the scenario); shapes are checked against them.
 * Extra tensors (e.g. {@code x}, {@code y}) may sit in the same file.
 */
public final class LayerWeightsIo {
    private LayerWeightsIo() {
    }

    /** The layer's tensors under the names above, in that order. */
    public static Map<String, FloatMatrix> tensors(LayerWeights w) {
        Map<String, FloatMatrix> t = new LinkedHashMap<>();
        if (w.groupGate().rows() > 0) {
            t.put("router.group_gate", w.groupGate());
        }
        t.put("router.expert_gate", w.expertGate());
        put(t, "experts", w.experts());
        put(t, "shared", w.sharedExperts());
        return t;
    }

    private static void put(Map<String, FloatMatrix> t, String prefix, List<ExpertWeights> list) {
        for (int i = 0; i < list.size(); i++) {
            ExpertWeights e = list.get(i);
            if (e.activation() == Activation.SWIGLU) {
                t.put(prefix + "." + i + ".gate", e.gate());
            }
            t.put(prefix + "." + i + ".up", e.up());
            t.put(prefix + "." + i + ".down", e.down());
        }
    }

    public static void write(Path file, LayerWeights w, Map<String, FloatMatrix> extra, Map<String, String> metadata)
            throws IOException {
        Map<String, FloatMatrix> all = tensors(w);
        all.putAll(extra);
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("format", "mohge-moe-layer-v1");
        meta.put("kind", w.spec().kind());
        meta.put("modelHidden", Integer.toString(w.modelHidden()));
        meta.put("activation", w.spec().activation().label());
        Safetensors.write(file, all, meta);
    }

    public static LayerWeights read(Path file, MoeLayerSpec spec, int modelHidden) throws IOException {
        return fromTensors(Safetensors.read(file), spec, modelHidden);
    }

    public static LayerWeights fromTensors(Map<String, FloatMatrix> t, MoeLayerSpec spec, int modelHidden) throws IOException {
        int groups = LayerWeights.groupCount(spec);
        FloatMatrix groupGate = groups > 0 ? need(t, "router.group_gate") : new FloatMatrix(0, 1, new float[0]);
        FloatMatrix expertGate = need(t, "router.expert_gate");
        List<ExpertWeights> experts = new ArrayList<>();
        for (ExpertShape s : spec.expertShapes()) {
            experts.add(expert(t, "experts." + s.index(), spec.activation(), s.hidden()));
        }
        List<ExpertWeights> shared = new ArrayList<>();
        for (int j = 0; j < spec.sharedExperts(); j++) {
            shared.add(expert(t, "shared." + j, spec.activation(), spec.sharedExpertHidden()));
        }
        try {
            return new LayerWeights(spec, modelHidden, groupGate, expertGate, experts, shared);
        } catch (IllegalArgumentException e) {
            throw new IOException("weights do not match the layer spec: " + e.getMessage(), e);
        }
    }

    private static ExpertWeights expert(Map<String, FloatMatrix> t, String prefix, Activation a, int hidden)
            throws IOException {
        FloatMatrix up = need(t, prefix + ".up");
        FloatMatrix gate = a == Activation.SWIGLU ? need(t, prefix + ".gate") : new FloatMatrix(0, hidden, new float[0]);
        try {
            return new ExpertWeights(hidden, gate, up, need(t, prefix + ".down"));
        } catch (IllegalArgumentException e) {
            throw new IOException(prefix + ": " + e.getMessage(), e);
        }
    }

    private static FloatMatrix need(Map<String, FloatMatrix> t, String name) throws IOException {
        FloatMatrix m = t.get(name);
        if (m == null) {
            throw new IOException("tensor " + name + " is missing");
        }
        return m;
    }
}
