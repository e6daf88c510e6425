package org.mohge.sim.core;

/** When each op ran on each GPU: {@code startNs[op * gpus + gpu]}, {@code endNs[...]}. */
public record Schedule(StepProgram program, long[] startNs, long[] endNs, long makespanNs, long events) {

    public long start(int op, int gpu) {
        return startNs[op * program.gpus() + gpu];
    }

    public long end(int op, int gpu) {
        return endNs[op * program.gpus() + gpu];
    }
}
