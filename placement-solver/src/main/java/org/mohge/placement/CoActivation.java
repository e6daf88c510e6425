package org.mohge.placement;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.mohge.costmodel.spec.Require;

/**
 * Node-locality weight of a pair of experts: {@code tokensPerStep} tokens per step are expected
 * to pick both {@code expertA} and {@code expertB}. With node-deduplicated dispatch (a token
 * crosses to a node once, then fans out over NVLink, as in DeepSeek-V3), each such token whose two
 * experts sit on different nodes costs one extra inter-node transfer of its hidden state in
 * dispatch and one in combine.
 */
public record CoActivation(@JsonProperty(required = true) int expertA, @JsonProperty(required = true) int expertB,
                           @JsonProperty(required = true) double tokensPerStep) {
    public CoActivation {
        Require.nonNegative(expertA, "expertA");
        Require.nonNegative(expertB, "expertB");
        Require.check(expertA != expertB, "expertB", "must differ from expertA (" + expertA + ")");
        Require.nonNegative(tokensPerStep, "tokensPerStep");
    }
}
