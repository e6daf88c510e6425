package org.mohge.cli.plan.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkContext$;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.mohge.cli.plan.PlanContext;
import org.mohge.cli.plan.PlanEngine;
import org.mohge.cli.plan.PointEvaluator;
import org.mohge.cli.plan.PointMetrics;
import org.mohge.cli.plan.SweepPoint;
import org.mohge.cli.plan.TaskFunction;
import org.mohge.cli.scenario.ScenarioException;

/**
 * Evaluates points as Spark tasks, one partition (so one task) per point. Tasks are JSON lines
 * (base scenario text and the point) and results come back as the resume file's JSON lines, so no
 * Spark serialisation of our records is involved; the executor runs {@link EvaluatePoint} with the
 * sweep's {@link TaskFunction} ({@link PointEvaluator} for training sweeps, the serving plan's for
 * serving plans), the very function of the local engine.
 *
 * <p>With a {@code local[...]} master Spark runs inside this JVM. With any other master this JVM is
 * the driver: unless {@code spark.jars} is already set (spark-submit's {@code --jars}), it lists the
 * mohge-cli jar and its non-Spark libraries there, so the executors load the application's classes
 * from jars the driver serves. A {@code spark://} master that accepts no TCP connection within
 * {@value #CONNECT_TIMEOUT_MS} ms, or a cluster that gives the application no executor for
 * {@code spark.mohge.executorWaitSeconds} (default {@value #DEFAULT_EXECUTOR_WAIT_S}) seconds, is one
 * line on stderr and exit code 2; an executor lost mid-run has its tasks retried by Spark on the
 * others, or on the next one the cluster starts.
 *
 * <p>An existing SparkContext (spark-submit) is reused and left running. Points go out as a few
 * concurrent jobs (four per core), so results reach the resume file job by job rather than all at
 * the end.
 */
public final class SparkEngine implements PlanEngine {
    /** How long the driver waits for a standalone master to accept a TCP connection. */
    static final int CONNECT_TIMEOUT_MS = 5_000;
    /** Default for {@code spark.mohge.executorWaitSeconds}. */
    static final int DEFAULT_EXECUTOR_WAIT_S = 60;
    /** SparkConf key (so also {@code -Dspark.mohge.executorWaitSeconds=N} or spark-submit's --conf). */
    static final String EXECUTOR_WAIT_KEY = "spark.mohge.executorWaitSeconds";
    private static final int JOBS_PER_CORE = 4;
    private final String master;

    /**
     * @param master the master to run on (spark-submit's or an active SparkContext's, not necessarily
     *     {@code --master}: see {@link #forMaster})
     */
    public SparkEngine(String master) {
        this.master = master;
    }

    /**
     * The engine for {@code --master}: a master given to spark-submit (or an active SparkContext's)
     * wins. A {@code spark://} master is probed here, so an unreachable one fails before any point
     * is announced.
     */
    public static SparkEngine forMaster(String master) {
        var active = SparkContext$.MODULE$.getActive();
        // SparkConf would read the same system property (spark-submit sets it), but its construction logs.
        String effective = active.isDefined() ? active.get().master() : System.getProperty("spark.master", master);
        if (!active.isDefined() && !ClusterSetup.isLocal(effective)) {
            ClusterSetup.requireReachable(effective, CONNECT_TIMEOUT_MS);
        }
        return new SparkEngine(effective);
    }

    @Override
    public String describe() {
        return "spark " + master;
    }

    @Override
    public void run(PlanContext ctx, List<SweepPoint> pending, Consumer<PointMetrics> done)
            throws InterruptedException {
        List<String> tasks = new ArrayList<>(pending.size());
        for (SweepPoint p : pending) {
            tasks.add(PointEvaluator.taskLine(ctx, p));
        }
        runTasks(new EvaluatePoint.TrainingPoint(), tasks, line -> {
            PointMetrics m = PointEvaluator.metricsOf(line);
            if (m == null) {
                throw new IllegalStateException("a Spark task returned no result line: " + line);
            }
            done.accept(m);
        });
    }

    @Override
    public void runTasks(TaskFunction function, List<String> tasks, Consumer<String> done)
            throws InterruptedException {
        if (tasks.isEmpty()) {
            return;
        }
        SparkConf conf = new SparkConf().setAppName("mohge plan")
                .setIfMissing("spark.master", master)
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        boolean existing = SparkContext$.MODULE$.getActive().isDefined();
        boolean cluster = !ClusterSetup.isLocal(master);
        if (cluster && !existing && !conf.contains("spark.jars")) {
            conf.set("spark.jars", shippedJars());
        }
        long executorWaitNs = TimeUnit.SECONDS.toNanos(conf.getInt(EXECUTOR_WAIT_KEY, DEFAULT_EXECUTOR_WAIT_S));
        JavaSparkContext sc = new JavaSparkContext(SparkContext.getOrCreate(conf));
        List<JavaFutureAction<List<String>>> jobs = new ArrayList<>();
        try {
            // A few concurrent jobs instead of one, so results (and the resume file) arrive as the
            // run goes; still one partition, so one task, per point.
            int jobCount = Math.min(tasks.size(), Math.max(1, sc.defaultParallelism() * JOBS_PER_CORE));
            int size = (tasks.size() + jobCount - 1) / jobCount;
            EvaluatePoint evaluate = new EvaluatePoint(function);
            for (int from = 0; from < tasks.size(); from += size) {
                List<String> slice = tasks.subList(from, Math.min(tasks.size(), from + size));
                jobs.add(sc.parallelize(slice, slice.size()).map(evaluate).collectAsync());
            }
            long lastExecutorNs = System.nanoTime();
            for (JavaFutureAction<List<String>> job : jobs) {
                List<String> lines = null;
                while (lines == null) {
                    try {
                        lines = job.get(1, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        int executors = cluster ? executorCount(sc) : 1;
                        if (executors > 0) {
                            lastExecutorNs = System.nanoTime();
                        } else if (System.nanoTime() - lastExecutorNs > executorWaitNs) {
                            throw new ScenarioException("--master " + master + ": no Spark executor for "
                                    + TimeUnit.NANOSECONDS.toSeconds(executorWaitNs) + " s (no worker, or none with "
                                    + "free cores and memory; " + EXECUTOR_WAIT_KEY + " sets the wait); the points "
                                    + "finished so far are kept in points.jsonl: run again to resume");
                        }
                    }
                }
                lines.forEach(done);
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            jobs.forEach(j -> j.cancel(true));
            if (!existing) {
                sc.stop();
            }
        }
    }

    /** Executors the application has now: the status tracker's list less the driver's own block manager. */
    private static int executorCount(JavaSparkContext sc) {
        var driver = SparkEnv.get().blockManager().blockManagerId();
        int n = 0;
        for (SparkExecutorInfo e : sc.sc().statusTracker().getExecutorInfos()) {
            if (!(e.host().equals(driver.host()) && e.port() == driver.port())) {
                n++;
            }
        }
        return n;
    }

    /** {@code spark.jars} for a cluster: the mohge-cli jar and its libraries, not Spark's own. */
    private String shippedJars() {
        Path app = ClusterSetup.codeSource(PointEvaluator.class);
        if (app == null) {
            throw new ScenarioException("--master " + master + ": cannot tell which jar holds the mohge classes");
        }
        Path sparkJar = ClusterSetup.codeSource(SparkContext.class);
        return ClusterSetup.applicationJars(master, ClusterSetup.classPath(), app,
                        sparkJar == null ? null : sparkJar.getParent()).stream()
                .map(Path::toString).collect(Collectors.joining(","));
    }
}
