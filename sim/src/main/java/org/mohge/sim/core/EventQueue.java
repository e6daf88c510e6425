package org.mohge.sim.core;

import java.util.Arrays;

/**
 * A binary min-heap of events ordered by {@code (timeNs, phase, seq)}, where {@code seq} is a
 * per-queue counter assigned at {@link #add}: two events with the same time and phase leave in
 * the order they were added. The order is total, so a run never depends on heap internals.
 */
public final class EventQueue {
    private long[] times = new long[64];
    private long[] orders = new long[64];
    private SimEvent[] events = new SimEvent[64];
    private int size;
    private long seq;

    public void add(SimEvent event) {
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            orders = Arrays.copyOf(orders, size * 2);
            events = Arrays.copyOf(events, size * 2);
        }
        long time = event.timeNs();
        long order = ((long) event.phase().ordinal() << 56) | seq++;
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(time, order, times[parent], orders[parent])) {
                break;
            }
            times[i] = times[parent];
            orders[i] = orders[parent];
            events[i] = events[parent];
            i = parent;
        }
        times[i] = time;
        orders[i] = order;
        events[i] = event;
    }

    public SimEvent poll() {
        if (size == 0) {
            return null;
        }
        SimEvent top = events[0];
        size--;
        long time = times[size];
        long order = orders[size];
        SimEvent last = events[size];
        events[size] = null;
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && less(times[child + 1], orders[child + 1], times[child], orders[child])) {
                child++;
            }
            if (!less(times[child], orders[child], time, order)) {
                break;
            }
            times[i] = times[child];
            orders[i] = orders[child];
            events[i] = events[child];
            i = child;
        }
        if (size > 0) {
            times[i] = time;
            orders[i] = order;
            events[i] = last;
        }
        return top;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    private static boolean less(long t1, long o1, long t2, long o2) {
        return t1 < t2 || (t1 == t2 && o1 < o2);
    }
}
