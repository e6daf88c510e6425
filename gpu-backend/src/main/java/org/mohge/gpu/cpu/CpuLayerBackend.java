package org.mohge.gpu.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.mohge.gpu.api.ExecutableLayer;
import org.mohge.gpu.api.LayerBackend;
import org.mohge.gpu.api.LayerWeights;

/**
 * The float32 reference backend. Work is split into tasks (row blocks of one expert, of the router,
 * of the combine) run on a fixed pool of {@code threads} threads; each output value is computed by
 * exactly one task in a fixed order, so results are bit-identical for any thread count.
 */
public final class CpuLayerBackend implements LayerBackend {
    private final int threads;
    private final ExecutorService pool;

    /** A backend with one thread per available processor. */
    public CpuLayerBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public CpuLayerBackend(int threads) {
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be > 0, got " + threads);
        }
        this.threads = threads;
        AtomicInteger id = new AtomicInteger();
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "mohge-cpu-" + id.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String deviceName() {
        return "cpu (" + threads + " threads, " + System.getProperty("os.arch") + ")";
    }

    @Override
    public String dtype() {
        return "fp32";
    }

    public int threads() {
        return threads;
    }

    @Override
    public ExecutableLayer load(LayerWeights weights) {
        return new CpuExecutableLayer(this, weights);
    }

    /** Runs every task and waits; the first failure is rethrown. */
    void runAll(List<? extends Runnable> tasks) {
        if (pool == null || tasks.size() <= 1) {
            tasks.forEach(Runnable::run);
            return;
        }
        List<Callable<Void>> calls = new ArrayList<>(tasks.size());
        for (Runnable r : tasks) {
            calls.add(() -> {
                r.run();
                return null;
            });
        }
        try {
            for (Future<Void> f : pool.invokeAll(calls)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Splits {@code [0, n)} into blocks of {@code block} and runs {@code body(start, end)} for each. */
    void parallelRanges(int n, int block, RangeBody body) {
        List<Runnable> tasks = new ArrayList<>();
        for (int s = 0; s < n; s += block) {
            int start = s;
            int end = Math.min(n, s + block);
            tasks.add(() -> body.run(start, end));
        }
        runAll(tasks);
    }

    @FunctionalInterface
    interface RangeBody {
        void run(int start, int end);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
