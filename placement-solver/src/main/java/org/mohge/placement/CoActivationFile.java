package org.mohge.placement;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.mohge.costmodel.spec.Require;

/** A co-activation file: expert pairs that tokens pick together, in model expert order. */
public record CoActivationFile(@JsonProperty(required = true) List<CoActivation> pairs) {
    public CoActivationFile {
        pairs = Require.nonEmpty(pairs, "pairs");
    }
}
