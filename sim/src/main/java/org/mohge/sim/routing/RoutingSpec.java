package org.mohge.sim.routing;

import java.util.List;
import org.mohge.costmodel.spec.Require;

/**
 * The scenario's {@code routing} section: how tokens pick experts in the simulator. Every key is
 * optional.
 * <ul>
 *   <li>{@code model}: {@code synthetic} (default) or {@code trace} (replay {@code tracePath}:
 *       per-token {@code .jsonl} / {@code .csv}, or per-layer expert counts {@code .json}; see
 *       {@link RoutingTraces}).</li>
 *   <li>{@code fidelity}: {@code exact} (default; one decision per token and layer) or
 *       {@code aggregate} (per-source-GPU expert counts drawn from the multinomial).</li>
 *   <li>{@code difficulty}: Beta distribution of token difficulty (default alpha = beta = 2);
 *       {@code domains}: a mixture of named domains, each with its own Beta (replaces
 *       {@code difficulty} when present).</li>
 *   <li>{@code sharpness} (default 4): how strongly a token's difficulty decides the size of the
 *       experts it goes to (group gate logit {@code -sharpness * (difficulty - z_g)^2}, with
 *       {@code z_g} the group's size rank scaled to [0, 1]).</li>
 *   <li>{@code sizePull} (default 1): the router's pull toward larger experts, a logit of
 *       {@code sizePull * hidden / maxHidden} (the drift HMoE reports without a penalty).</li>
 *   <li>{@code groupBias} (default 0; grouped models): strength of MoHGE's group-wise auxiliary
 *       loss, subtracting {@code groupBias * hidden / maxHidden} from each group's logit.</li>
 *   <li>{@code intraGroupBalance} (default 1; grouped models): the intra-group experts loss, 1 =
 *       even popularity inside a group, 0 = Zipf-like with exponent 1.2.</li>
 *   <li>{@code skew} (default 0; uniform and heterogeneous models): Zipf exponent of expert
 *       popularity for the flat top-k router.</li>
 *   <li>{@code sizePenalty} (default 0; heterogeneous models): HMoE's P-Penalty, subtracting
 *       {@code sizePenalty * hidden / maxHidden} from each expert's logit.</li>
 *   <li>{@code layerVariation} (default 0.1): standard deviation of per-layer noise on the
 *       first-level logits (groups, or experts for flat routers); hot experts also differ per
 *       layer.</li>
 *   <li>{@code drift} (default 0): per step, the probability that an expert swaps popularity rank
 *       with a random expert of its group.</li>
 *   <li>{@code steps} (default 1): steps simulated back to back (the result averages them).</li>
 *   <li>{@code maxNodesPerToken} (default 0 = no limit): node-limited routing (DeepSeek-V3): a
 *       token's experts lie on at most this many nodes of its expert-parallel group; priced in the
 *       training step's dispatch (each token sent once per destination node).</li>
 * </ul>
 */
public record RoutingSpec(RoutingSource model, Double groupBias, Double intraGroupBalance, RoutingFidelity fidelity,
                          String tracePath, DifficultySpec difficulty, List<DomainSpec> domains, Double sharpness,
                          Double sizePull, Double skew, Double sizePenalty, Double layerVariation, Double drift,
                          Integer steps, Integer maxNodesPerToken) {

    public RoutingSpec {
        model = Require.orDefault(model, RoutingSource.SYNTHETIC);
        groupBias = Require.orDefault(groupBias, 0.0);
        logitKnob(groupBias, "groupBias");
        intraGroupBalance = Require.orDefault(intraGroupBalance, 1.0);
        Require.inRange(intraGroupBalance, 0.0, 1.0, "intraGroupBalance");
        fidelity = Require.orDefault(fidelity, RoutingFidelity.EXACT);
        if (model == RoutingSource.TRACE) {
            Require.check(tracePath != null && !tracePath.isBlank(), "tracePath", "is required when model is 'trace'");
        }
        difficulty = Require.orDefault(difficulty, DifficultySpec.defaults());
        domains = domains == null || domains.isEmpty() ? List.of() : Require.nonEmpty(domains, "domains");
        sharpness = Require.orDefault(sharpness, 4.0);
        logitKnob(sharpness, "sharpness");
        sizePull = Require.orDefault(sizePull, 1.0);
        logitKnob(sizePull, "sizePull");
        skew = Require.orDefault(skew, 0.0);
        logitKnob(skew, "skew");
        sizePenalty = Require.orDefault(sizePenalty, 0.0);
        logitKnob(sizePenalty, "sizePenalty");
        layerVariation = Require.orDefault(layerVariation, 0.1);
        logitKnob(layerVariation, "layerVariation");
        drift = Require.orDefault(drift, 0.0);
        Require.inRange(drift, 0.0, 1.0, "drift");
        steps = Require.orDefault(steps, 1);
        Require.positive(steps, "steps");
        Require.check(steps <= MAX_STEPS, "steps", "must be at most " + MAX_STEPS + ", got " + steps);
        maxNodesPerToken = Require.orDefault(maxNodesPerToken, 0);
        Require.nonNegative(maxNodesPerToken, "maxNodesPerToken");
    }

    /** Most steps one run simulates back to back (each step's routing is drawn anew). */
    public static final int MAX_STEPS = 100_000;
    /**
     * Largest value of a knob that shifts or scales router logits: at 50 a softmax weight is already
     * e^-50 (about 2e-22) of its neighbour, so larger values change nothing but can overflow to NaN.
     */
    public static final double MAX_LOGIT_KNOB = 50.0;

    private static void logitKnob(double value, String field) {
        Require.nonNegative(value, field);
        Require.check(value <= MAX_LOGIT_KNOB, field, "must be at most " + MAX_LOGIT_KNOB + " (the router's softmax "
                + "saturates there, so larger values change nothing), got " + value);
    }

    /** Every key but {@code maxNodesPerToken} (no node limit). */
    public RoutingSpec(RoutingSource model, Double groupBias, Double intraGroupBalance, RoutingFidelity fidelity,
                       String tracePath, DifficultySpec difficulty, List<DomainSpec> domains, Double sharpness, Double sizePull,
                       Double skew, Double sizePenalty, Double layerVariation, Double drift, Integer steps) {
        this(model, groupBias, intraGroupBalance, fidelity, tracePath, difficulty, domains, sharpness, sizePull, skew,
                sizePenalty, layerVariation, drift, steps, null);
    }

    /** The five original keys; the others take their defaults. */
    public RoutingSpec(RoutingSource model, Double groupBias, Double intraGroupBalance, RoutingFidelity fidelity,
                       String tracePath) {
        this(model, groupBias, intraGroupBalance, fidelity, tracePath, null, null, null, null, null, null, null,
                null, null);
    }

    public static RoutingSpec defaults() {
        return new RoutingSpec(null, null, null, null, null);
    }

    public boolean exact() {
        return fidelity == RoutingFidelity.EXACT;
    }

    public RoutingSpec withFidelity(RoutingFidelity newFidelity) {
        return new RoutingSpec(model, groupBias, intraGroupBalance, newFidelity, tracePath, difficulty, domains,
                sharpness, sizePull, skew, sizePenalty, layerVariation, drift, steps, maxNodesPerToken);
    }

    public RoutingSpec withTracePath(String newTracePath) {
        return new RoutingSpec(model, groupBias, intraGroupBalance, fidelity, newTracePath, difficulty, domains,
                sharpness, sizePull, skew, sizePenalty, layerVariation, drift, steps, maxNodesPerToken);
    }

    /** The same routing with other balance knobs: group-wise bias, intra-group balance and flat-router skew. */
    public RoutingSpec withBalance(double newGroupBias, double newIntraGroupBalance, double newSkew) {
        return new RoutingSpec(model, newGroupBias, newIntraGroupBalance, fidelity, tracePath, difficulty, domains,
                sharpness, sizePull, newSkew, sizePenalty, layerVariation, drift, steps, maxNodesPerToken);
    }
}
