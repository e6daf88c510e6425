package org.mohge.cli.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Evaluates points on a fixed pool of threads of this JVM. */
public final class LocalEngine implements PlanEngine {
    private final int threads;

    public LocalEngine(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
    }

    @Override
    public String describe() {
        return "local (" + threads + " thread" + (threads == 1 ? "" : "s") + ")";
    }

    @Override
    public void run(PlanContext ctx, List<SweepPoint> pending, Consumer<PointMetrics> done) throws Exception {
        List<Callable<PointMetrics>> jobs = new ArrayList<>(pending.size());
        for (SweepPoint p : pending) {
            jobs.add(() -> PointEvaluator.evaluate(ctx, p));
        }
        runAll(jobs, done);
    }

    @Override
    public void runTasks(TaskFunction function, List<String> tasks, Consumer<String> done) throws Exception {
        List<Callable<String>> jobs = new ArrayList<>(tasks.size());
        for (String task : tasks) {
            jobs.add(() -> function.evaluate(task));
        }
        runAll(jobs, done);
    }

    private <T> void runAll(List<Callable<T>> jobs, Consumer<T> done) throws Exception {
        if (jobs.isEmpty()) {
            return;
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, jobs.size()), r -> {
            Thread t = new Thread(r, "mohge-plan-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            CompletionService<T> completion = new ExecutorCompletionService<>(pool);
            for (Callable<T> job : jobs) {
                completion.submit(job);
            }
            for (int i = 0; i < jobs.size(); i++) {
                try {
                    done.accept(completion.take().get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
