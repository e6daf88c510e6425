package org.mohge.sim.serving;

import java.util.ArrayList;
import java.util.List;
import org.mohge.sim.core.SimEvent;
import org.mohge.sim.core.Simulation;

/**
 * Runs requests through replicas on the event core. An arrival goes to a replica of the first pool
 * (the load balancer picks it); an idle replica starts an iteration at once: its scheduler forms
 * the batch, the pricer gives the duration, and at the iteration's end each sequence that caught
 * up with its tokens emits one, finished requests are recorded and let go, and the next batch is
 * formed. With disaggregation a request whose first token came out of the prefill pool leaves it
 * (pages freed), its KV cache travels over the {@link KvTransferLink},
 * and it joins a decode replica's queue with its prompt cached. Only requests in flight are held.
 */
public final class ServingSimulator {
    private final ServingSpec spec;
    private final List<PoolSetup> pools;
    private final KvTransferLink link;
    private final List<Replica> replicas = new ArrayList<>();
    private final int[] poolStart;
    private final int[] poolSize;
    private final int[] roundRobin;
    private final List<SimEvent> out = new ArrayList<>();
    private final ServingMetrics metrics;
    private IterationListener listener = (replica, role, startNs, durationNs, shape, seqs) -> { };
    private ArrivalSource source;
    private long nextId;

    /**
     * @param pools one pool ({@link PoolRole#UNIFIED}), or a prefill pool then a decode pool
     * @param link  the KV transfer from prefill to decode ({@link KvTransferLink#NONE} when unified)
     */
    public ServingSimulator(ServingSpec spec, List<PoolSetup> pools, KvTransferLink link) {
        this.spec = spec;
        this.pools = List.copyOf(pools);
        this.link = link;
        this.metrics = new ServingMetrics(spec.slo(), spec.seriesPoints());
        poolStart = new int[pools.size()];
        poolSize = new int[pools.size()];
        roundRobin = new int[pools.size()];
        SchedulerSpec s = spec.scheduler();
        Scheduler scheduler = Scheduler.of(s.policy());
        boolean chunked = s.chunkedPrefill() && s.policy() == SchedulerPolicy.CONTINUOUS;
        for (int p = 0; p < pools.size(); p++) {
            PoolSetup setup = pools.get(p);
            poolStart[p] = replicas.size();
            poolSize[p] = setup.pool().replicas();
            int dp = setup.pool().dp();
            for (int i = 0; i < setup.pool().replicas(); i++) {
                KvCache kv = new KvCache(setup.kvBlocksPerReplica(), spec.kvCache().blockTokens());
                SchedulerState state = new SchedulerState(kv, s.maxTokensPerIteration() * dp,
                        s.maxRunningSeqs() * dp, chunked);
                replicas.add(new Replica(replicas.size(), setup.role(), state, scheduler, setup.pricer()));
            }
        }
    }

    public ServingSimulator withListener(IterationListener newListener) {
        this.listener = newListener;
        return this;
    }

    /** Nanoseconds to move the KV cache of {@code promptTokens} tokens from a prefill to a decode replica. */
    public long transferNs(int promptTokens) {
        return link.timeNs(promptTokens);
    }

    public ServingResult run(ArrivalSource arrivals) {
        this.source = arrivals;
        Simulation sim = new Simulation(this::handle);
        Arrival first = source.next();
        if (first != null) {
            sim.schedule(new RequestArrivalEvent(first.timeNs(), first));
        }
        long endNs = sim.run();
        source.close();
        return result(endNs, sim.processedEvents());
    }

    private List<SimEvent> handle(SimEvent event) {
        out.clear();
        if (event instanceof RequestArrivalEvent a) {
            onArrival(a);
        } else if (event instanceof IterationEndEvent end) {
            onIterationEnd(end);
        } else if (event instanceof KvTransferEndEvent t) {
            enqueue(1, t.request(), t.timeNs());
        } else {
            throw new IllegalStateException("not a serving event: " + event);
        }
        return out;
    }

    private void onArrival(RequestArrivalEvent a) {
        long now = a.timeNs();
        metrics.arrival(now);
        enqueue(0, new Request(nextId++, a.arrival()), now);
        Arrival next = source.next();
        if (next != null) {
            if (next.timeNs() < now) {
                throw new IllegalStateException("arrivals out of order at request " + nextId);
            }
            out.add(new RequestArrivalEvent(next.timeNs(), next));
        } else {
            metrics.lastArrival(now);
        }
    }

    private void enqueue(int pool, Request r, long now) {
        Replica replica = pick(pool);
        if (!replica.state.admissible(r.promptTokens, r.outputTokens)) {
            metrics.rejection();
            return;
        }
        replica.state.waiting.addLast(r);
        if (!replica.busy) {
            startIteration(replica, now);
        }
    }

    private Replica pick(int pool) {
        int start = poolStart[pool];
        int n = poolSize[pool];
        if (spec.loadBalancer() == LoadBalancerPolicy.ROUND_ROBIN) {
            int i = roundRobin[pool];
            roundRobin[pool] = (i + 1) % n;
            return replicas.get(start + i);
        }
        Replica best = replicas.get(start);
        for (int i = 1; i < n; i++) {
            Replica r = replicas.get(start + i);
            if (r.state.inFlight() < best.state.inFlight()) {
                best = r;
            }
        }
        return best;
    }

    private void startIteration(Replica replica, long now) {
        SchedulerState state = replica.state;
        replica.scheduler.schedule(state);
        if (state.batch.isEmpty()) {
            replica.busy = false;
            return;
        }
        for (Request r : state.batch) {
            if (r.firstScheduledNs < 0) {
                r.firstScheduledNs = now;
            }
        }
        BatchShape shape = replica.shape();
        IterationCost cost = replica.pricer.price(shape);
        long duration = Math.max(1, cost.timeNs());
        replica.busy = true;
        replica.iterations++;
        replica.busyNs += duration;
        int seqs = state.batch.size();
        metrics.iteration(now, duration, seqs, shape, cost, state.kv.usedFraction());
        listener.onIteration(replica.index, replica.role, now, duration, shape, seqs);
        out.add(new IterationEndEvent(now + duration, replica.index));
    }

    private void onIterationEnd(IterationEndEvent end) {
        long now = end.timeNs();
        Replica replica = replicas.get(end.replica());
        SchedulerState state = replica.state;
        boolean anyLeft = false;
        for (Request r : state.batch) {
            r.computedTokens += r.scheduledTokens;
            r.scheduledTokens = 0;
            if (r.computedTokens < r.knownTokens()) {
                continue;
            }
            r.generatedTokens++;
            metrics.token(now);
            if (r.firstTokenNs < 0) {
                r.firstTokenNs = now;
            }
            if (r.done()) {
                metrics.finish(r, now);
                state.kv.release(r);
                r.leaving = true;
                anyLeft = true;
            } else if (replica.role == PoolRole.PREFILL) {
                state.kv.release(r);
                r.leaving = true;
                anyLeft = true;
                r.computedTokens = r.promptTokens;
                out.add(new KvTransferEndEvent(now + link.timeNs(r.promptTokens), r));
            }
        }
        if (anyLeft) {
            state.running.removeIf(r -> r.leaving);
            for (Request r : state.batch) {
                r.leaving = false;
            }
        }
        state.batch.clear();
        startIteration(replica, now);
    }

    private ServingResult result(long endNs, long events) {
        double durationS = metrics.durationS();
        List<PoolSummary> summaries = new ArrayList<>();
        long preemptions = 0;
        int gpus = 0;
        for (int p = 0; p < pools.size(); p++) {
            PoolSetup setup = pools.get(p);
            long its = 0;
            long busy = 0;
            for (int i = 0; i < poolSize[p]; i++) {
                Replica r = replicas.get(poolStart[p] + i);
                its += r.iterations;
                busy += r.busyNs;
                preemptions += r.state.preemptions;
            }
            gpus += setup.pool().gpus();
            summaries.add(new PoolSummary(setup.role(), setup.pool().replicas(), setup.pool().tp(), setup.pool().dp(),
                    setup.pool().gpus(), setup.kvBlocksPerReplica(),
                    (long) setup.kvBlocksPerReplica() * spec.kvCache().blockTokens(), its,
                    busy / (durationS * 1e9) / poolSize[p], setup.pool().gpu()));
        }
        return metrics.result(endNs, events, preemptions, gpus, summaries);
    }
}
