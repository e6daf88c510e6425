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
 * (pages freed), its KV cache travels for {@code latency + promptTokens * bytesPerToken / bandwidth},
 * and it joins a decode replica's queue with its prompt cached. Only requests in flight are held.
 */
public final class ServingSimulator {
    private static final int CDF_POINTS = 100;
    private final ServingSpec spec;
    private final List<PoolSetup> pools;
    private final double transferBytesPerToken;
    private final double transferBytesPerNs;
    private final long transferLatencyNs;
    private final List<Replica> replicas = new ArrayList<>();
    private final int[] poolStart;
    private final int[] poolSize;
    private final int[] roundRobin;
    private final List<SimEvent> out = new ArrayList<>();
    private IterationListener listener = (replica, role, startNs, durationNs, shape, seqs) -> { };

    private ArrivalSource source;
    private long nextId;
    private long arrived;
    private long rejected;
    private long completed;
    private long metSlo;
    private long inputTokens;
    private long outputTokens;
    private long firstArrivalNs = -1;
    /** The last arrival's time once the source is exhausted: throughput counts what happens up to it. */
    private long windowEndNs = Long.MAX_VALUE;
    private long windowCompleted;
    private long windowMetSlo;
    private long windowInputTokens;
    private long windowOutputTokens;
    private long lastCompletionNs;
    private long iterations;
    private long inFlight;
    private long peakInFlight;
    private double seqsSum;
    private double tokensSum;
    private double kvSum;
    private double kvPeak;
    private long decodeIterations;
    private double imbalanceSum;
    private final LatencyHistogram ttft = new LatencyHistogram();
    private final LatencyHistogram tpot = new LatencyHistogram();
    private final LatencyHistogram e2e = new LatencyHistogram();
    private final LatencyHistogram queueing = new LatencyHistogram();
    private final TimeSeries series;

    /**
     * @param pools                 one pool ({@link PoolRole#UNIFIED}), or a prefill pool then a decode pool
     * @param transferBytesPerToken KV bytes of one prompt token over all layers (disaggregation only)
     * @param transferGBps          KV transfer bandwidth (disaggregation only)
     * @param transferLatencyUs     KV transfer latency (disaggregation only)
     */
    public ServingSimulator(ServingSpec spec, List<PoolSetup> pools, double transferBytesPerToken,
                            double transferGBps, double transferLatencyUs) {
        this.spec = spec;
        this.pools = List.copyOf(pools);
        this.transferBytesPerToken = transferBytesPerToken;
        this.transferBytesPerNs = transferGBps;
        this.transferLatencyNs = Math.round(transferLatencyUs * 1e3);
        this.series = new TimeSeries(spec.seriesPoints());
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
        return transferLatencyNs + Math.round(promptTokens * transferBytesPerToken / transferBytesPerNs);
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
        if (firstArrivalNs < 0) {
            firstArrivalNs = now;
        }
        arrived++;
        inFlight++;
        peakInFlight = Math.max(peakInFlight, inFlight);
        enqueue(0, new Request(nextId++, a.arrival()), now);
        Arrival next = source.next();
        if (next != null) {
            if (next.timeNs() < now) {
                throw new IllegalStateException("arrivals out of order at request " + nextId);
            }
            out.add(new RequestArrivalEvent(next.timeNs(), next));
        } else {
            windowEndNs = now;
        }
    }

    private void enqueue(int pool, Request r, long now) {
        Replica replica = pick(pool);
        if (!replica.state.admissible(r.promptTokens, r.outputTokens)) {
            rejected++;
            inFlight--;
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
        replica.iterationStartNs = now;
        replica.iterations++;
        replica.busyNs += duration;
        iterations++;
        int seqs = state.batch.size();
        double kvUse = state.kv.usedFraction();
        seqsSum += seqs;
        tokensSum += shape.tokens();
        kvSum += kvUse;
        kvPeak = Math.max(kvPeak, kvUse);
        if (shape.decodeTokens() > 0) {
            decodeIterations++;
            imbalanceSum += cost.expertImbalance();
        }
        series.add(now - Math.max(0, firstArrivalNs), duration, seqs, shape.tokens(), kvUse);
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
            if (now <= windowEndNs) {
                windowOutputTokens++;
            }
            if (r.firstTokenNs < 0) {
                r.firstTokenNs = now;
            }
            if (r.done()) {
                finish(r, now);
                state.kv.release(r);
                r.leaving = true;
                anyLeft = true;
            } else if (replica.role == PoolRole.PREFILL) {
                state.kv.release(r);
                r.leaving = true;
                anyLeft = true;
                r.computedTokens = r.promptTokens;
                out.add(new KvTransferEndEvent(now + transferNs(r.promptTokens), r));
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

    private void finish(Request r, long now) {
        completed++;
        inFlight--;
        inputTokens += r.promptTokens;
        outputTokens += r.outputTokens;
        lastCompletionNs = Math.max(lastCompletionNs, now);
        double ttftUs = (r.firstTokenNs - r.arrivalNs) / 1e3;
        ttft.add(ttftUs);
        e2e.add((now - r.arrivalNs) / 1e3);
        queueing.add((r.firstScheduledNs - r.arrivalNs) / 1e3);
        double tpotUs = 0;
        if (r.outputTokens > 1) {
            tpotUs = (now - r.firstTokenNs) / 1e3 / (r.outputTokens - 1);
            tpot.add(tpotUs);
        }
        SloSpec slo = spec.slo();
        boolean met = slo == null || (ttftUs <= slo.ttftMs() * 1e3 && tpotUs <= slo.tpotMs() * 1e3);
        if (met) {
            metSlo++;
        }
        if (now <= windowEndNs) {
            windowCompleted++;
            windowInputTokens += r.promptTokens;
            if (met) {
                windowMetSlo++;
            }
        }
    }

    private ServingResult result(long endNs, long events) {
        double durationS = Math.max(1e-9, (lastCompletionNs - Math.max(0, firstArrivalNs)) / 1e9);
        List<PoolSummary> summaries = new ArrayList<>();
        long preemptions = 0;
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
            summaries.add(new PoolSummary(setup.role(), setup.pool().replicas(), setup.pool().tp(), setup.pool().dp(),
                    setup.pool().gpus(), setup.kvBlocksPerReplica(),
                    (long) setup.kvBlocksPerReplica() * spec.kvCache().blockTokens(), its,
                    busy / (durationS * 1e9) / poolSize[p]));
        }
        int gpus = 0;
        for (PoolSetup s : pools) {
            gpus += s.pool().gpus();
        }
        double n = Math.max(1, iterations);
        long windowEnd = Math.min(windowEndNs, lastCompletionNs);
        double windowS = (windowEnd - Math.max(0, firstArrivalNs)) / 1e9;
        boolean window = windowS > 0 && windowCompleted > 0;
        double perS = window ? 1 / windowS : 1 / durationS;
        long wCompleted = window ? windowCompleted : completed;
        long wOutput = window ? windowOutputTokens : outputTokens;
        return new ServingResult(arrived, completed, rejected, preemptions, durationS, window ? windowS : durationS,
                gpus, ttft.summaryMs(), tpot.summaryMs(), e2e.summaryMs(), queueing.summaryMs(),
                wCompleted * perS, (window ? windowInputTokens : inputTokens) * perS, wOutput * perS,
                wOutput * perS / gpus, (window ? windowMetSlo : metSlo) * perS,
                completed == 0 ? 0 : (double) metSlo / completed,
                seqsSum / n, tokensSum / n, kvSum / n, kvPeak,
                decodeIterations == 0 ? 1 : imbalanceSum / decodeIterations, iterations, events, peakInFlight,
                summaries, series.points(Math.max(0, endNs - Math.max(0, firstArrivalNs))),
                new LatencyCdfs(ttft.cdfMs(CDF_POINTS), tpot.cdfMs(CDF_POINTS), e2e.cdfMs(CDF_POINTS)));
    }
}
