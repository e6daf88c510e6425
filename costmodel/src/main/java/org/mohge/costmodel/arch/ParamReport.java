package org.mohge.costmodel.arch;

import java.util.List;

/**
 * Parameter accounting of a model. Activated parameters follow the convention of the Mixtral and
 * Qwen model cards: every weight a token passes through, counting the input embedding and the LM
 * head as whole tables, the router, the shared experts and the routed experts it was sent to.
 */
public record ParamReport(List<ParamCount> components, List<GroupParamCount> groups, long totalParams,
                          double activatedParams, long routerParams, long embeddingParams,
                          double[] expertShares) {

    public ParamReport {
        components = List.copyOf(components);
        groups = List.copyOf(groups);
        expertShares = expertShares.clone();
    }

    /** Activated parameters without the input embedding table (the DeepSeek-V3 card's convention). */
    public double activatedParamsWithoutInputEmbedding() {
        return activatedParams - embeddingParams;
    }

    @Override
    public double[] expertShares() {
        return expertShares.clone();
    }
}
