package org.mohge.sim.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link StepProgram} on its GPUs as a discrete-event simulation. Each GPU has one
 * compute stream (one op at a time, first come first served) and one set of link ports (NVLink
 * and NIC, used together by an all-to-all). A compute op starts when it is ready and its stream
 * is free; a collective starts when every GPU has it ready and every GPU's ports are free, so a
 * GPU that arrives early waits for the stragglers, and that wait is idle time.
 */
public final class ProgramRunner implements Simulation.Handler {
    private final StepProgram program;
    private final int gpus;
    private final int[][] successors;
    private final int[] pending;
    private final int[] arrived;
    private final boolean[] streamBusy;
    private final List<ArrayDeque<Integer>> waiting;
    private final long[] portFreeNs;
    private final long[] startNs;
    private final long[] endNs;

    public ProgramRunner(StepProgram program) {
        this.program = program;
        this.gpus = program.gpus();
        int n = program.size();
        int[] succCount = new int[n];
        for (Op op : program.ops()) {
            for (int d : op.deps()) {
                succCount[d]++;
            }
        }
        successors = new int[n][];
        for (int i = 0; i < n; i++) {
            successors[i] = new int[succCount[i]];
        }
        int[] fill = new int[n];
        for (Op op : program.ops()) {
            for (int d : op.deps()) {
                successors[d][fill[d]++] = op.id();
            }
        }
        pending = new int[n * gpus];
        for (Op op : program.ops()) {
            for (int g = 0; g < gpus; g++) {
                pending[op.id() * gpus + g] = op.deps().length;
            }
        }
        arrived = new int[n];
        streamBusy = new boolean[gpus];
        waiting = new ArrayList<>(gpus);
        for (int g = 0; g < gpus; g++) {
            waiting.add(new ArrayDeque<>());
        }
        portFreeNs = new long[gpus];
        startNs = new long[n * gpus];
        endNs = new long[n * gpus];
    }

    /** Runs the program once from time 0. */
    public static Schedule run(StepProgram program) {
        ProgramRunner runner = new ProgramRunner(program);
        Simulation sim = new Simulation(runner);
        for (Op op : program.ops()) {
            if (op.deps().length == 0) {
                for (int g = 0; g < program.gpus(); g++) {
                    sim.schedule(new OpReadyEvent(0, op.id(), g));
                }
            }
        }
        sim.run();
        long makespan = 0;
        for (long end : runner.endNs) {
            makespan = Math.max(makespan, end);
        }
        return new Schedule(program, runner.startNs, runner.endNs, makespan, sim.processedEvents());
    }

    @Override
    public List<SimEvent> handle(SimEvent event) {
        // Java 17: instanceof patterns over the sealed family (switch patterns are a preview there).
        if (event instanceof OpReadyEvent ready) {
            return onOpReady(ready);
        }
        return onOpEnd((OpEndEvent) event);
    }

    /** An op's inputs are on its GPU: start it, queue it behind the stream, or join its collective. */
    List<SimEvent> onOpReady(OpReadyEvent event) {
        Op op = program.op(event.op());
        int g = event.gpu();
        if (op.kind() == OpKind.COMPUTE) {
            if (streamBusy[g]) {
                waiting.get(g).add(op.id());
                return List.of();
            }
            return List.of(start(op, g, event.timeNs()));
        }
        if (++arrived[op.id()] < gpus) {
            return List.of();
        }
        long start = event.timeNs();
        for (int i = 0; i < gpus; i++) {
            start = Math.max(start, portFreeNs[i]);
        }
        List<SimEvent> ends = new ArrayList<>(gpus);
        for (int i = 0; i < gpus; i++) {
            long end = start + op.durationNs()[i];
            startNs[op.id() * gpus + i] = start;
            endNs[op.id() * gpus + i] = end;
            portFreeNs[i] = end;
            ends.add(new OpEndEvent(end, op.id(), i));
        }
        return ends;
    }

    /** An op is done on a GPU: free its stream for the next queued op and release its successors. */
    List<SimEvent> onOpEnd(OpEndEvent event) {
        Op op = program.op(event.op());
        int g = event.gpu();
        List<SimEvent> next = new ArrayList<>(2);
        if (op.kind() == OpKind.COMPUTE) {
            streamBusy[g] = false;
            Integer queued = waiting.get(g).poll();
            if (queued != null) {
                next.add(start(program.op(queued), g, event.timeNs()));
            }
        }
        for (int s : successors[op.id()]) {
            if (--pending[s * gpus + g] == 0) {
                next.add(new OpReadyEvent(event.timeNs(), s, g));
            }
        }
        return next;
    }

    private SimEvent start(Op op, int g, long now) {
        streamBusy[g] = true;
        long end = now + op.durationNs()[g];
        startNs[op.id() * gpus + g] = now;
        endNs[op.id() * gpus + g] = end;
        return new OpEndEvent(end, op.id(), g);
    }
}
