package org.mohge.costmodel.arch;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One MoE FFN layer: routed experts, the router that picks them, and optional always-on shared
 * experts. The three kinds the tool compares: {@link UniformMoe} (Mixtral, DeepSeek),
 * {@link HeterogeneousMoe} (HMoE: every expert its own size) and {@link GroupedMoe} (MoHGE).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = UniformMoe.class, name = "uniform"),
    @JsonSubTypes.Type(value = HeterogeneousMoe.class, name = "heterogeneous"),
    @JsonSubTypes.Type(value = GroupedMoe.class, name = "grouped")
})
public sealed interface MoeLayerSpec permits UniformMoe, HeterogeneousMoe, GroupedMoe {

    Activation activation();

    /** Routed experts in model order. */
    List<ExpertShape> expertShapes();

    /**
     * Size classes in ascending expert order: the groups of a grouped model, the single group of
     * a uniform one, one class per distinct hidden size of a heterogeneous one.
     */
    List<ExpertGroup> sizeClasses();

    /** Routed experts each token uses: topK, or topGroups * topExpertsPerGroup. */
    int routedExpertsPerToken();

    int sharedExperts();

    /** Hidden size of each shared expert (0 when there are none). */
    int sharedExpertHidden();

    /** Gate weights: {@code d x E} for flat routers, {@code d x (Ng + E)} for the two-level gate. */
    long routerParams(int modelHidden);

    /**
     * Default share of routed-expert activations per expert (sums to 1): even over experts for
     * flat routers, even over groups (then over the experts of a group) for grouped ones.
     */
    double[] defaultExpertShares();

    default int expertCount() {
        return expertShapes().size();
    }

    default long expertParams(int modelHidden, ExpertShape expert) {
        return activation().ffnParams(modelHidden, expert.hidden());
    }

    default long routedExpertParams(int modelHidden) {
        long sum = 0;
        for (ExpertShape e : expertShapes()) {
            sum += expertParams(modelHidden, e);
        }
        return sum;
    }

    default long sharedExpertParams(int modelHidden) {
        return sharedExperts() * activation().ffnParams(modelHidden, sharedExpertHidden());
    }

    /**
     * Routed-expert weights one token touches on average when expert {@code i} receives the
     * share {@code expertShares[i]} of all expert activations.
     */
    default double activatedRoutedParams(int modelHidden, double[] expertShares) {
        List<ExpertShape> experts = expertShapes();
        if (expertShares.length != experts.size()) {
            throw new IllegalArgumentException("expertShares has " + expertShares.length
                    + " entries, the layer has " + experts.size() + " experts");
        }
        double mean = 0;
        for (ExpertShape e : experts) {
            mean += expertShares[e.index()] * expertParams(modelHidden, e);
        }
        return routedExpertsPerToken() * mean;
    }

    /** Short kind name as written in scenario files. */
    String kind();
}
