package org.mohge.sim.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventQueueTest {

    /** The documented tie-break: time first, then phase (END before READY), then insertion order. */
    @Test
    void ordersByTimeThenPhaseThenInsertion() {
        EventQueue q = new EventQueue();
        SimEvent a = new OpReadyEvent(10, 1, 0);
        SimEvent b = new OpEndEvent(10, 2, 0);
        SimEvent c = new OpReadyEvent(10, 3, 0);
        SimEvent d = new OpEndEvent(5, 4, 0);
        SimEvent e = new OpEndEvent(10, 5, 0);
        SimEvent f = new OpReadyEvent(3, 6, 0);
        for (SimEvent x : List.of(a, b, c, d, e, f)) {
            q.add(x);
        }
        List<SimEvent> out = new ArrayList<>();
        while (!q.isEmpty()) {
            out.add(q.poll());
        }
        assertThat(out).containsExactly(f, d, b, e, a, c);
    }

    /** Against a naive reference: a stable sort of the insertion list by (time, phase). */
    @Test
    void matchesStableSortOnRandomEvents() {
        SplittableRandom rng = new SplittableRandom(7);
        EventQueue q = new EventQueue();
        List<SimEvent> added = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            long t = rng.nextInt(50);
            SimEvent ev = rng.nextBoolean() ? new OpEndEvent(t, i, 0) : new OpReadyEvent(t, i, 0);
            added.add(ev);
            q.add(ev);
        }
        List<SimEvent> expected = new ArrayList<>(added);
        expected.sort((x, y) -> x.timeNs() != y.timeNs() ? Long.compare(x.timeNs(), y.timeNs())
                : Integer.compare(x.phase().ordinal(), y.phase().ordinal()));
        List<SimEvent> out = new ArrayList<>();
        while (!q.isEmpty()) {
            out.add(q.poll());
        }
        assertThat(out).isEqualTo(expected);
    }
}
