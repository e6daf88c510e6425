package org.mohge.cli.plan.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.mohge.cli.plan.PlanContext;
import org.mohge.cli.plan.PlanEngine;
import org.mohge.cli.plan.PointEvaluator;
import org.mohge.cli.plan.PointMetrics;
import org.mohge.cli.plan.SweepPoint;

/**
 * Evaluates points as Spark tasks, one partition (so one task) per point. Tasks are JSON lines
 * (base scenario text and the point) and results come back as the resume file's JSON lines, so no
 * Spark serialisation of our records is involved; the worker runs {@link PointEvaluator}, the very
 * function of the local engine. With a {@code local[...]} master Spark runs inside this JVM; with
 * a cluster master URL this JVM is the driver and the executors need the mohge-cli jar and its
 * libraries (see {@code spark-submit} in the README). An existing SparkContext (spark-submit) is
 * reused and left running. Points go out as a few concurrent jobs (four per core), so results
 * reach the resume file job by job rather than all at the end.
 */
public final class SparkEngine implements PlanEngine {
    private static final int JOBS_PER_CORE = 4;
    private final String master;

    public SparkEngine(String master) {
        this.master = master;
    }

    @Override
    public String describe() {
        return "spark " + master;
    }

    @Override
    public void run(PlanContext ctx, List<SweepPoint> pending, Consumer<PointMetrics> done)
            throws InterruptedException {
        if (pending.isEmpty()) {
            return;
        }
        List<String> tasks = new ArrayList<>(pending.size());
        for (SweepPoint p : pending) {
            tasks.add(PointEvaluator.taskLine(ctx, p));
        }
        SparkConf conf = new SparkConf().setAppName("mohge plan")
                .setIfMissing("spark.master", master)
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        boolean existing = org.apache.spark.SparkContext$.MODULE$.getActive().isDefined();
        JavaSparkContext sc = new JavaSparkContext(org.apache.spark.SparkContext.getOrCreate(conf));
        List<JavaFutureAction<List<String>>> jobs = new ArrayList<>();
        try {
            // A few concurrent jobs instead of one, so results (and the resume file) arrive as the
            // run goes; still one partition, so one task, per point.
            int jobCount = Math.min(tasks.size(), Math.max(1, sc.defaultParallelism() * JOBS_PER_CORE));
            int size = (tasks.size() + jobCount - 1) / jobCount;
            for (int from = 0; from < tasks.size(); from += size) {
                List<String> slice = tasks.subList(from, Math.min(tasks.size(), from + size));
                jobs.add(sc.parallelize(slice, slice.size()).map(PointEvaluator::evaluateTaskLine).collectAsync());
            }
            for (JavaFutureAction<List<String>> job : jobs) {
                for (String line : job.get()) {
                    PointMetrics m = PointEvaluator.metricsOf(line);
                    if (m == null) {
                        throw new IllegalStateException("a Spark task returned no result line: " + line);
                    }
                    done.accept(m);
                }
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
}
