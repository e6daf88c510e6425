package org.mohge.sim.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link RankProgram} on the event core: an op is ready when all its dependencies have
 * ended; each (rank, stream) runs one op at a time, first come first served. Events are the
 * core's {@link OpReadyEvent} / {@link OpEndEvent} with the op's rank as their GPU.
 */
public final class RankProgramRunner implements Simulation.Handler {
    private final RankProgram program;
    private final int streams = RankProgram.Stream.values().length;
    private final int[][] successors;
    private final int[] pending;
    private final boolean[] busy;
    private final List<ArrayDeque<Integer>> waiting;
    private final long[] startNs;
    private final long[] endNs;

    private RankProgramRunner(RankProgram program) {
        this.program = program;
        int n = program.size();
        int[] count = new int[n];
        pending = new int[n];
        for (RankProgram.RankOp op : program.ops()) {
            pending[op.id()] = op.deps().length;
            for (int d : op.deps()) {
                count[d]++;
            }
        }
        successors = new int[n][];
        for (int i = 0; i < n; i++) {
            successors[i] = new int[count[i]];
        }
        int[] fill = new int[n];
        for (RankProgram.RankOp op : program.ops()) {
            for (int d : op.deps()) {
                successors[d][fill[d]++] = op.id();
            }
        }
        int resources = program.ranks() * streams;
        busy = new boolean[resources];
        waiting = new ArrayList<>(resources);
        for (int i = 0; i < resources; i++) {
            waiting.add(new ArrayDeque<>());
        }
        startNs = new long[n];
        endNs = new long[n];
    }

    /** When each op ran. */
    public record RankSchedule(RankProgram program, long[] startNs, long[] endNs, long makespanNs, long events) {
    }

    public static RankSchedule run(RankProgram program) {
        RankProgramRunner runner = new RankProgramRunner(program);
        Simulation sim = new Simulation(runner);
        for (RankProgram.RankOp op : program.ops()) {
            if (op.deps().length == 0) {
                sim.schedule(new OpReadyEvent(0, op.id(), op.rank()));
            }
        }
        sim.run();
        long makespan = 0;
        for (long e : runner.endNs) {
            makespan = Math.max(makespan, e);
        }
        return new RankSchedule(program, runner.startNs, runner.endNs, makespan, sim.processedEvents());
    }

    @Override
    public List<SimEvent> handle(SimEvent event) {
        if (event instanceof OpReadyEvent ready) {
            RankProgram.RankOp op = program.op(ready.op());
            int r = resource(op);
            if (busy[r]) {
                waiting.get(r).add(op.id());
                return List.of();
            }
            return List.of(start(op, ready.timeNs()));
        }
        OpEndEvent end = (OpEndEvent) event;
        RankProgram.RankOp op = program.op(end.op());
        int r = resource(op);
        busy[r] = false;
        List<SimEvent> next = new ArrayList<>(2);
        Integer queued = waiting.get(r).poll();
        if (queued != null) {
            next.add(start(program.op(queued), end.timeNs()));
        }
        for (int s : successors[op.id()]) {
            if (--pending[s] == 0) {
                next.add(new OpReadyEvent(end.timeNs(), s, program.op(s).rank()));
            }
        }
        return next;
    }

    private int resource(RankProgram.RankOp op) {
        return op.rank() * streams + op.stream().ordinal();
    }

    private SimEvent start(RankProgram.RankOp op, long now) {
        busy[resource(op)] = true;
        startNs[op.id()] = now;
        endNs[op.id()] = now + op.durationNs();
        return new OpEndEvent(now + op.durationNs(), op.id(), op.rank());
    }
}
