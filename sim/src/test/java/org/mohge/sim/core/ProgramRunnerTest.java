package org.mohge.sim.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mohge.costmodel.cost.LayerStage;

class ProgramRunnerTest {

    /**
     * Two GPUs, one MoE layer: attention 10/10, dispatch 5/7, experts 100/40, combine 6/6,
     * unpermute 3/3 (ns). Dispatch starts at 10 on both, ends at 15 and 17; experts end at 115 and
     * 57; the combine waits for GPU 0 and runs 115..121; unpermute 121..124. GPU 1 waits 57..115.
     */
    @Test
    void twoGpusHandComputed() {
        StepProgram p = new StepProgram(2);
        int a = p.add(OpKind.COMPUTE, LayerStage.ATTENTION, 0, 0, false, new long[] {10, 10});
        int d = p.add(OpKind.COLLECTIVE, LayerStage.DISPATCH, 0, 0, false, new long[] {5, 7}, a);
        int e = p.add(OpKind.COMPUTE, LayerStage.EXPERTS, 0, 0, false, new long[] {100, 40}, d);
        int c = p.add(OpKind.COLLECTIVE, LayerStage.COMBINE, 0, 0, false, new long[] {6, 6}, e);
        int u = p.add(OpKind.COMPUTE, LayerStage.UNPERMUTE, 0, 0, false, new long[] {3, 3}, c);
        Schedule s = ProgramRunner.run(p);
        assertThat(s.makespanNs()).isEqualTo(124);
        assertThat(s.start(d, 0)).isEqualTo(10);
        assertThat(s.end(d, 1)).isEqualTo(17);
        assertThat(s.start(e, 1)).isEqualTo(17);
        assertThat(s.end(e, 1)).isEqualTo(57);
        assertThat(s.start(c, 1)).isEqualTo(115);
        assertThat(s.end(u, 1)).isEqualTo(124);
        // GPU 1: compute 10 + 40 + 3 = 53, links 7 + 6 = 13, idle 124 - 66 = 58 (the wait 57..115).
        long busy1 = 0;
        for (int op = 0; op < p.size(); op++) {
            busy1 += s.end(op, 1) - s.start(op, 1);
        }
        assertThat(busy1).isEqualTo(66);
        assertThat(s.makespanNs() - busy1).isEqualTo(58);
        long busy0 = 0;
        for (int op = 0; op < p.size(); op++) {
            busy0 += s.end(op, 0) - s.start(op, 0);
        }
        assertThat(s.makespanNs() - busy0).isZero();
    }

    /**
     * A compute op ready while the stream is busy waits: shared experts (8) start with the
     * dispatch (5) at 10; the experts, ready at 15, start when the stream frees at 18.
     */
    @Test
    void computeStreamRunsOneOpAtATime() {
        StepProgram p = new StepProgram(1);
        int a = p.add(OpKind.COMPUTE, LayerStage.ATTENTION, 0, 0, false, new long[] {10});
        int s = p.add(OpKind.COMPUTE, LayerStage.SHARED_EXPERTS, 0, 0, false, new long[] {8}, a);
        int d = p.add(OpKind.COLLECTIVE, LayerStage.DISPATCH, 0, 0, false, new long[] {5}, a);
        int e = p.add(OpKind.COMPUTE, LayerStage.EXPERTS, 0, 0, false, new long[] {20}, d);
        Schedule sc = ProgramRunner.run(p);
        assertThat(sc.start(s, 0)).isEqualTo(10);
        assertThat(sc.start(d, 0)).isEqualTo(10);
        assertThat(sc.end(d, 0)).isEqualTo(15);
        assertThat(sc.start(e, 0)).isEqualTo(18);
        assertThat(sc.makespanNs()).isEqualTo(38);
    }

    /** Two collectives ready at once share the ports: the second starts when the first ends. */
    @Test
    void collectivesQueueOnPorts() {
        StepProgram p = new StepProgram(2);
        int c1 = p.add(OpKind.COLLECTIVE, LayerStage.DISPATCH, 0, 0, false, new long[] {4, 9});
        int c2 = p.add(OpKind.COLLECTIVE, LayerStage.DISPATCH, 0, 1, false, new long[] {3, 3});
        Schedule s = ProgramRunner.run(p);
        assertThat(s.start(c1, 0)).isZero();
        assertThat(s.start(c2, 0)).isEqualTo(9);
        assertThat(s.makespanNs()).isEqualTo(12);
    }

    /** Handlers are functions: a ready event on a free stream returns exactly its end event. */
    @Test
    void readyHandlerReturnsEndEvent() {
        StepProgram p = new StepProgram(1);
        p.add(OpKind.COMPUTE, LayerStage.ATTENTION, 0, 0, false, new long[] {7});
        ProgramRunner runner = new ProgramRunner(p);
        List<SimEvent> out = runner.handle(new OpReadyEvent(3, 0, 0));
        assertThat(out).containsExactly(new OpEndEvent(10, 0, 0));
    }
}
