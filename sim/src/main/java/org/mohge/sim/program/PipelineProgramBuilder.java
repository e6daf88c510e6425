package org.mohge.sim.program;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.cost.StepStage;
import org.mohge.costmodel.parallel.PipelineSchedule;
import org.mohge.costmodel.parallel.StagePrice;
import org.mohge.sim.core.RankProgram.Stream;
import org.mohge.sim.core.RankProgram;

/**
 * Builds one training step of a pipeline as a {@link RankProgram}, one rank per stage: each
 * stage's forward and backward chunks in its schedule's order (1F1B: p - s - 1 warm-up forwards,
 * then one forward one backward, then the cool-down backwards; interleaved: Megatron's order over
 * virtual stages, (p - s - 1) x 2 + (v - 1) x p warm-up chunks), activation and gradient sends
 * between neighbouring (virtual) stages, the data-parallel parameter gather gating the first
 * forward, the gradient reduce starting with the last backward, then the optimizer. No formula
 * for the bubble: it is whatever idle time these dependencies leave.
 */
public final class PipelineProgramBuilder {

    private final List<StagePrice> prices;
    private final int p;
    private final int v;
    private final int m;
    private final PipelineSchedule schedule;
    private final double[][][] extraForwardUs;

    public PipelineProgramBuilder(List<StagePrice> prices, int virtualStages, int microBatches,
                                  PipelineSchedule schedule) {
        this(prices, virtualStages, microBatches, schedule, null);
    }

    /**
     * With {@code extraForwardUs[stage][chunk][microBatch]} added to that chunk's forward (and twice
     * to its backward): the expert GEMMs' wait for the slowest EP rank under drawn routing.
     */
    public PipelineProgramBuilder(List<StagePrice> prices, int virtualStages, int microBatches,
                                  PipelineSchedule schedule, double[][][] extraForwardUs) {
        this.extraForwardUs = extraForwardUs;
        this.prices = List.copyOf(prices);
        this.p = prices.size();
        this.v = virtualStages;
        this.m = microBatches;
        this.schedule = schedule;
        if (schedule == PipelineSchedule.INTERLEAVED && m % p != 0) {
            throw new IllegalArgumentException("interleaved schedule needs micro-batches (" + m
                    + ") divisible by stages (" + p + ")");
        }
    }

    /** A chunk of work on a stage, in schedule order. */
    private record Slot(int microBatch, int chunk, boolean backward) {
    }

    /** Stage {@code s}'s compute slots in schedule order. */
    List<Slot> order(int s) {
        int total = m * v;
        int warmup = schedule == PipelineSchedule.INTERLEAVED
                ? Math.min(total, (p - s - 1) * 2 + (v - 1) * p)
                : Math.min(total, p - s - 1);
        List<Slot> out = new ArrayList<>(2 * total);
        int f = 0;
        int b = 0;
        for (; f < warmup; f++) {
            out.add(slot(f, false));
        }
        while (f < total) {
            out.add(slot(f++, false));
            out.add(slot(b++, true));
        }
        while (b < total) {
            out.add(slot(b++, true));
        }
        return out;
    }

    /** Megatron's mapping of the k-th forward (backward) of a rank to its micro-batch and model chunk. */
    private Slot slot(int k, boolean backward) {
        if (v == 1) {
            return new Slot(k, 0, backward);
        }
        int group = k / p;
        int chunk = group % v;
        int microBatch = (k / (p * v)) * p + k % p;
        return new Slot(microBatch, backward ? v - 1 - chunk : chunk, backward);
    }

    public RankProgram build() {
        RankProgram prog = new RankProgram(p);
        // Ids of compute ops and sends, by [stage][chunk][microBatch].
        int[][][] fwd = new int[p][v][m];
        int[][][] bwd = new int[p][v][m];
        int[][][] fwdSend = new int[p][v][m];
        int[][][] bwdSend = new int[p][v][m];
        int[] gather = new int[p];
        for (int s = 0; s < p; s++) {
            gather[s] = prices.get(s).paramGatherUs() > 0
                    ? prog.add(s, Stream.COLLECTIVE, StepStage.DP_PARAM_GATHER, -1, -1, false, ns(prices.get(s).paramGatherUs()))
                    : -1;
        }
        // Build in global time order so every dependency exists when an op is added: walk the stages'
        // schedules round-robin, adding a slot once its inputs are built.
        List<List<Slot>> orders = new ArrayList<>();
        for (int s = 0; s < p; s++) {
            orders.add(order(s));
        }
        for (int[][] a : fwd) {
            for (int[] b : a) {
                java.util.Arrays.fill(b, -1);
            }
        }
        for (int[][][] ids : new int[][][][] {bwd, fwdSend, bwdSend}) {
            for (int[][] a : ids) {
                for (int[] b : a) {
                    java.util.Arrays.fill(b, -1);
                }
            }
        }
        int[] next = new int[p];
        int[] previous = new int[p];
        java.util.Arrays.fill(previous, -1);
        int[] lastBackwardPrev = new int[p];
        int[] lastBackwardInput = new int[p];
        int remaining = 0;
        for (List<Slot> o : orders) {
            remaining += o.size();
        }
        while (remaining > 0) {
            boolean progressed = false;
            for (int s = 0; s < p; s++) {
                while (next[s] < orders.get(s).size()) {
                    Slot slot = orders.get(s).get(next[s]);
                    int input = inputOf(s, slot, fwdSend, bwdSend, fwd);
                    if (input == Integer.MIN_VALUE) {
                        break;
                    }
                    StagePrice price = prices.get(s);
                    int c = slot.chunk();
                    int mb = slot.microBatch();
                    if (!slot.backward()) {
                        int op = prog.add(s, Stream.COMPUTE, StepStage.PIPELINE_FORWARD, mb, c, false,
                                ns(price.forwardUs() / v + extra(s, c, mb)), previous[s], input);
                        fwd[s][c][mb] = op;
                        previous[s] = op;
                        if (gather[s] >= 0) {
                            // The first forward overlaps the parameter gather; nothing after it may start sooner.
                            previous[s] = prog.add(s, Stream.COMPUTE, StepStage.GATHER_GATE, mb, c, false, 0, op, gather[s]);
                            gather[s] = -1;
                        }
                        if (!(s == p - 1 && c == v - 1)) {
                            Stream dir = Stream.SEND_NEXT;
                            fwdSend[s][c][mb] = prog.add(s, dir, StepStage.PIPELINE_SEND, mb, c, false, ns(price.sendUs()), op);
                        }
                    } else {
                        if (next[s] == orders.get(s).size() - 1) {
                            lastBackwardPrev[s] = previous[s];
                            lastBackwardInput[s] = input;
                        }
                        int op = prog.add(s, Stream.COMPUTE, StepStage.PIPELINE_BACKWARD, mb, c, true,
                                ns(price.backwardUs() / v + 2 * extra(s, c, mb)), previous[s], input);
                        bwd[s][c][mb] = op;
                        previous[s] = op;
                        if (!(s == 0 && c == 0)) {
                            bwdSend[s][c][mb] = prog.add(s, Stream.SEND_PREVIOUS, StepStage.PIPELINE_SEND, mb, c, true,
                                    ns(price.sendUs()), op);
                        }
                    }
                    next[s]++;
                    remaining--;
                    progressed = true;
                }
            }
            if (!progressed) {
                throw new IllegalStateException("pipeline schedule deadlocks");
            }
        }
        for (int s = 0; s < p; s++) {
            StagePrice price = prices.get(s);
            int reduce = price.gradReduceUs() > 0
                    ? prog.add(s, Stream.COLLECTIVE, StepStage.DP_GRAD_REDUCE, -1, -1, true, ns(price.gradReduceUs()),
                            lastBackwardPrev[s], lastBackwardInput[s])
                    : -1;
            prog.add(s, Stream.COMPUTE, StepStage.OPTIMIZER, -1, -1, false, ns(price.optimizerUs()), previous[s], reduce);
        }
        return prog;
    }

    /**
     * The op a slot waits for from another stage (or its own forward for the last virtual stage's
     * backward), -1 when none, {@code Integer.MIN_VALUE} when that op is not built yet.
     */
    private int inputOf(int s, Slot slot, int[][][] fwdSend, int[][][] bwdSend, int[][][] fwd) {
        int c = slot.chunk();
        int mb = slot.microBatch();
        if (!slot.backward()) {
            if (s > 0) {
                return built(fwdSend[s - 1][c][mb], fwd[s - 1][c][mb]);
            }
            return c > 0 ? built(fwdSend[p - 1][c - 1][mb], fwd[p - 1][c - 1][mb]) : -1;
        }
        if (s < p - 1) {
            return builtBackward(bwdSend[s + 1][c][mb]);
        }
        if (c < v - 1) {
            return builtBackward(bwdSend[0][c + 1][mb]);
        }
        int own = fwd[s][c][mb];
        return own >= 0 ? own : Integer.MIN_VALUE;
    }

    private static int built(int send, int producer) {
        return producer >= 0 ? send : Integer.MIN_VALUE;
    }

    private static int builtBackward(int send) {
        return send >= 0 ? send : Integer.MIN_VALUE;
    }

    private double extra(int s, int c, int mb) {
        return extraForwardUs == null ? 0 : extraForwardUs[s][c][mb];
    }

    private static long ns(double us) {
        return Math.round(us * 1000.0);
    }
}
