package org.mohge.placement.solver;

import org.mohge.costmodel.cost.MemoryModel;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.deploy.ExpertPlacement;
import org.mohge.costmodel.deploy.ExpertReplica;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.placement.PlacementProblem;

/**
 * What moving from one placement to another costs: the expert copies added to GPUs that did not
 * hold them (a move; dropping a copy is free), the bytes they carry (weights, and in training Adam
 * state, {@link MemoryModel#movedBytes}) and the time to send them over the cluster's links.
 */
public final class ExpertTransfer {
    private final PlacementProblem problem;

    public ExpertTransfer(PlacementProblem problem) {
        this.problem = problem;
    }

    /** Copies of {@code next} on GPUs that did not hold that expert in {@code current}. */
    public static int moves(Placement current, Placement next) {
        boolean[][] held = holds(current);
        int moves = 0;
        for (ExpertPlacement e : next.experts()) {
            for (ExpertReplica r : e.replicas()) {
                if (!held[e.expert()][r.gpu()]) {
                    moves++;
                }
            }
        }
        return moves;
    }

    /** Whether each expert has a copy on each GPU. */
    static boolean[][] holds(Placement p) {
        boolean[][] held = new boolean[p.expertCount()][p.gpuCount()];
        for (ExpertPlacement e : p.experts()) {
            for (ExpertReplica r : e.replicas()) {
                held[e.expert()][r.gpu()] = true;
            }
        }
        return held;
    }

    /** Bytes of one copy of {@code expert}: its weights, and in training its Adam state. */
    private double copyBytes(int expert) {
        ModelSpec model = problem.model();
        return MemoryModel.movedBytes(model, model.moe().expertShapes().get(expert), problem.workload().training());
    }

    /** Bytes the copies {@code next} adds to {@code current} carry. */
    double bytesMoved(Placement current, Placement next) {
        boolean[][] held = holds(current);
        double bytes = 0;
        for (ExpertPlacement e : next.experts()) {
            for (ExpertReplica r : e.replicas()) {
                if (!held[e.expert()][r.gpu()]) {
                    bytes += copyBytes(e.expert());
                }
            }
        }
        return bytes;
    }

    /**
     * Each added copy comes from a GPU that held the expert, on the receiver's node when one does
     * (NVLink), else over the NICs; every GPU's send and receive time at its link bandwidth, the
     * slowest GPU's in microseconds.
     */
    double transferUs(Placement current, Placement next) {
        ClusterSpec cluster = problem.cluster();
        int gpus = current.gpuCount();
        boolean[][] held = holds(current);
        double[] nvlinkIn = new double[gpus];
        double[] nvlinkOut = new double[gpus];
        double[] nicIn = new double[gpus];
        double[] nicOut = new double[gpus];
        for (ExpertPlacement e : next.experts()) {
            for (ExpertReplica r : e.replicas()) {
                int to = r.gpu();
                if (held[e.expert()][to]) {
                    continue;
                }
                int from = -1;
                for (ExpertReplica source : current.experts().get(e.expert()).replicas()) {
                    if (from < 0 || cluster.sameNode(source.gpu(), to) && !cluster.sameNode(from, to)) {
                        from = source.gpu();
                    }
                }
                double bytes = copyBytes(e.expert());
                if (cluster.sameNode(from, to)) {
                    nvlinkIn[to] += bytes;
                    nvlinkOut[from] += bytes;
                } else {
                    nicIn[to] += bytes;
                    nicOut[from] += bytes;
                }
            }
        }
        double slowest = 0;
        for (int g = 0; g < gpus; g++) {
            double in = nvlinkIn[g] / (cluster.nvlinkGBps() * 1e3) + nicIn[g] / (cluster.nicGBps() * 1e3);
            double out = nvlinkOut[g] / (cluster.nvlinkGBps() * 1e3) + nicOut[g] / (cluster.nicGBps() * 1e3);
            slowest = Math.max(slowest, Math.max(in, out));
        }
        return slowest;
    }
}
