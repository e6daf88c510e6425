package org.mohge.sim.traffic;

import java.util.List;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.spec.SpecViolation;

/**
 * A placement as arrays: the GPU, share and local slot of every copy of every expert, and the
 * hidden size of every local slot of every GPU.
 */
public final class ExpertMap {
    private final int gpus;
    private final int experts;
    private final int[][] replicaGpu;
    private final double[][] replicaShare;
    private final int[][] replicaLocal;
    private final int[][] localHidden;

    public ExpertMap(Placement placement, List<ExpertShape> shapes, int gpus) {
        this.gpus = gpus;
        this.experts = shapes.size();
        if (placement.gpuCount() != gpus) {
            throw new SpecViolation("placement", "is for " + placement.gpuCount() + " GPUs, the cluster has " + gpus);
        }
        if (placement.expertCount() != experts) {
            throw new SpecViolation("placement", "places " + placement.expertCount() + " experts, the model has "
                    + experts + " (expert " + Math.min(placement.expertCount(), experts) + " is "
                    + (placement.expertCount() < experts ? "unplaced)" : "not in the model)"));
        }
        replicaGpu = new int[experts][];
        replicaShare = new double[experts][];
        replicaLocal = new int[experts][];
        int[] localCount = new int[gpus];
        for (ExpertPlacement e : placement.experts()) {
            List<ExpertReplica> replicas = e.replicas();
            replicaGpu[e.expert()] = new int[replicas.size()];
            replicaShare[e.expert()] = new double[replicas.size()];
            replicaLocal[e.expert()] = new int[replicas.size()];
            for (int r = 0; r < replicas.size(); r++) {
                int g = replicas.get(r).gpu();
                replicaGpu[e.expert()][r] = g;
                replicaShare[e.expert()][r] = replicas.get(r).share();
                replicaLocal[e.expert()][r] = localCount[g]++;
            }
        }
        localHidden = new int[gpus][];
        for (int g = 0; g < gpus; g++) {
            localHidden[g] = new int[localCount[g]];
        }
        for (int e = 0; e < experts; e++) {
            for (int r = 0; r < replicaGpu[e].length; r++) {
                localHidden[replicaGpu[e][r]][replicaLocal[e][r]] = shapes.get(e).hidden();
            }
        }
    }

    public int gpus() {
        return gpus;
    }

    public int experts() {
        return experts;
    }

    /** GPUs holding a copy of expert {@code e}. */
    int[] replicaGpus(int e) {
        return replicaGpu[e];
    }

    double[] replicaShares(int e) {
        return replicaShare[e];
    }

    int[] replicaSlots(int e) {
        return replicaLocal[e];
    }

    /** Hidden size of each local expert slot of GPU {@code g}. */
    public int[] localHidden(int g) {
        return localHidden[g];
    }
}
