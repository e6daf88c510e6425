package org.mohge.cli.plan;

import java.util.List;
import java.util.function.Consumer;

/**
 * Evaluates a sweep's pending points, each with {@link PointEvaluator#evaluate}, and hands every
 * result to {@code done} on the calling thread as soon as it is known (completion order is free:
 * the runner orders results by id).
 */
public interface PlanEngine {

    /** Short name for messages: {@code local (2 threads)}, {@code spark local[*]}. */
    String describe();

    void run(PlanContext ctx, List<SweepPoint> pending, Consumer<PointMetrics> done) throws Exception;

    /**
     * Evaluates task lines with {@code function} (one task per line, as for points) and hands every
     * result line to {@code done} on the calling thread as soon as it is known, in any order.
     */
    void runTasks(TaskFunction function, List<String> tasks, Consumer<String> done) throws Exception;
}
