package org.mohge.costmodel.arch;

import java.util.ArrayList;
import java.util.List;

/** Counts parameters of a {@link ModelSpec}, exactly, component by component. */
public final class ParamAccounting {
    private ParamAccounting() {
    }

    /** Parameters with the layer's default usage mix (even over experts, or over groups). */
    public static ParamReport count(ModelSpec model) {
        return count(model, defaultShares(model));
    }

    /** The layer's default usage mix: even over experts, or over groups; empty for a dense model. */
    public static double[] defaultShares(ModelSpec model) {
        return model.isDense() ? new double[0] : model.moe().defaultExpertShares();
    }

    /**
     * Parameters when routed expert {@code i} receives {@code expertShares[i]} of all routed
     * activations (the shares sum to 1).
     */
    public static ParamReport count(ModelSpec model, double[] expertShares) {
        int d = model.hiddenSize();
        MoeLayerSpec moe = model.moe();
        int moeLayers = model.moeLayers();
        List<ParamCount> rows = new ArrayList<>();

        long embedding = (long) model.vocabSize() * d;
        rows.add(new ParamCount("embedding", embedding, embedding));
        long lmHead = model.tieEmbeddings() ? 0 : embedding;
        rows.add(new ParamCount("lm head", lmHead, lmHead));

        long attention = model.layers() * model.attention().params(d);
        rows.add(new ParamCount("attention", attention, attention));

        long norms = model.layers() * 2L * d + d;
        rows.add(new ParamCount("norms", norms, norms));

        long denseFfn = model.denseLayers() * model.denseActivation().ffnParams(d, model.denseFfnHidden());
        rows.add(new ParamCount("dense ffn", denseFfn, denseFfn));
        if (model.isDense()) {
            long total = rows.stream().mapToLong(ParamCount::totalParams).sum();
            return new ParamReport(rows, List.of(), total, total, 0, embedding, expertShares);
        }

        long router = moeLayers * moe.routerParams(d);
        rows.add(new ParamCount("router", router, router));

        long shared = moeLayers * moe.sharedExpertParams(d);
        rows.add(new ParamCount("shared experts", shared, shared));

        long routed = moeLayers * moe.routedExpertParams(d);
        double routedActive = moeLayers * moe.activatedRoutedParams(d, expertShares);
        rows.add(new ParamCount("routed experts", routed, routedActive));

        long total = rows.stream().mapToLong(ParamCount::totalParams).sum();
        double activated = rows.stream().mapToDouble(ParamCount::activatedParams).sum();
        return new ParamReport(rows, groups(model, expertShares), total, activated, router, embedding, expertShares);
    }

    private static List<GroupParamCount> groups(ModelSpec model, double[] expertShares) {
        int d = model.hiddenSize();
        MoeLayerSpec moe = model.moe();
        List<ExpertGroup> classes = moe.sizeClasses();
        double[] classShare = new double[classes.size()];
        for (ExpertShape e : moe.expertShapes()) {
            classShare[e.sizeClass()] += expertShares[e.index()];
        }
        List<GroupParamCount> groups = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            ExpertGroup group = classes.get(c);
            long perExpert = moe.activation().ffnParams(d, group.expertHidden());
            long total = (long) model.moeLayers() * group.experts() * perExpert;
            double activated = (double) model.moeLayers() * moe.routedExpertsPerToken() * classShare[c] * perExpert;
            groups.add(new GroupParamCount(c, group.expertHidden(), group.experts(), perExpert, total,
                    classShare[c], activated));
        }
        return groups;
    }
}
