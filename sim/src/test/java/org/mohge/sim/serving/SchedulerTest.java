package org.mohge.sim.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Batches formed by hand-traced scheduler states. */
class SchedulerTest {

    private static Request running(SchedulerState s, long id, int prompt, int generated) {
        Request r = new Request(id, new Arrival(0, prompt, 100, 0));
        r.generatedTokens = generated;
        r.computedTokens = prompt + generated - 1;
        assertThat(s.kv.grow(r, r.computedTokens)).isTrue();
        s.running.add(r);
        return r;
    }

    @Test
    void decodeThatNeedsAPagePreemptsTheLastAdmitted() {
        // 8 pages of 16 tokens.
        SchedulerState s = new SchedulerState(new KvCache(8, 16), 512, 16, true);
        Request a = running(s, 0, 60, 5);   // 64 cached tokens = 4 pages; the next step needs a 5th
        Request b = running(s, 1, 60, 5);   // 4 pages: the cache is full
        assertThat(s.kv.freeBlocks()).isZero();
        new ContinuousBatchingScheduler().schedule(s);
        // A needs page 5, none is free: B (admitted last) is preempted by recompute and goes back to the queue head.
        assertThat(s.batch).containsExactly(a);
        assertThat(a.scheduledTokens).isEqualTo(1);
        assertThat(a.blocks()).isEqualTo(5);
        assertThat(s.running).containsExactly(a);
        assertThat(s.waiting.peekFirst()).isSameAs(b);
        assertThat(b.blocks()).isZero();
        assertThat(b.computedTokens()).isZero();
        assertThat(b.pendingTokens()).as("recompute prompt and generated tokens").isEqualTo(65);
        assertThat(s.preemptions()).isEqualTo(1);
        assertThat(s.kv.usedBlocks()).isEqualTo(5);
    }

    @Test
    void chunkedPrefillSharesTheBudgetAfterDecodes() {
        SchedulerState s = new SchedulerState(new KvCache(1000, 16), 100, 16, true);
        Request a = running(s, 0, 30, 2);
        Request w = new Request(1, new Arrival(0, 250, 10, 0));
        s.waiting.add(w);
        new ContinuousBatchingScheduler().schedule(s);
        // Budget 100: A's decode takes 1, the new prompt gets a 99-token chunk.
        assertThat(s.batch).containsExactly(a, w);
        assertThat(w.scheduledTokens).isEqualTo(99);
        assertThat(w.blocks()).isEqualTo(7);
    }

    @Test
    void withoutChunkingALongPromptWaits() {
        SchedulerState s = new SchedulerState(new KvCache(1000, 16), 100, 16, false);
        running(s, 0, 30, 2);
        s.waiting.add(new Request(1, new Arrival(0, 250, 10, 0)));
        new ContinuousBatchingScheduler().schedule(s);
        assertThat(s.batch).hasSize(1);
        assertThat(s.waiting).hasSize(1);
    }

    @Test
    void prefillFirstRunsPromptsAloneThenDecodes() {
        SchedulerState s = new SchedulerState(new KvCache(1000, 16), 512, 16, false);
        Request a = running(s, 0, 30, 2);
        Request w1 = new Request(1, new Arrival(0, 200, 10, 0));
        Request w2 = new Request(2, new Arrival(0, 200, 10, 0));
        Request w3 = new Request(3, new Arrival(0, 200, 10, 0));
        s.waiting.addAll(List.of(w1, w2, w3));
        PrefillFirstScheduler p = new PrefillFirstScheduler();
        p.schedule(s);
        // 512 tokens: two whole 200-token prompts fit, the third waits; A does not decode this iteration.
        assertThat(s.batch).containsExactly(w1, w2);
        assertThat(s.waiting).containsExactly(w3);
        s.waiting.clear();
        for (Request r : List.of(w1, w2)) {
            r.computedTokens += r.scheduledTokens;
            r.generatedTokens = 1;
        }
        p.schedule(s);
        assertThat(s.batch).containsExactly(a, w1, w2);
        assertThat(s.batch).allMatch(r -> r.scheduledTokens == 1);
    }
}
