package org.mohge.costmodel.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import org.mohge.costmodel.spec.Require;

/** Where the copies of one expert live; the shares of its copies add up to 1. */
public record ExpertPlacement(@JsonProperty(required = true) int expert, @JsonProperty(required = true) List<ExpertReplica> replicas) {
    private static final double SHARE_TOLERANCE = 1e-6;

    public ExpertPlacement {
        Require.nonNegative(expert, "expert");
        replicas = Require.nonEmpty(replicas, "replicas");
        double sum = replicas.stream().mapToDouble(ExpertReplica::share).sum();
        Require.check(Math.abs(sum - 1.0) <= SHARE_TOLERANCE, "replicas",
                "shares of expert " + expert + " must add up to 1, got " + sum);
        long distinct = replicas.stream().mapToInt(ExpertReplica::gpu).distinct().count();
        Require.check(distinct == replicas.size(), "replicas",
                "expert " + expert + " has two copies on one GPU");
    }

    public static ExpertPlacement single(int expert, int gpu) {
        return new ExpertPlacement(expert, List.of(new ExpertReplica(gpu, 1.0)));
    }
}
