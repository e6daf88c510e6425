package org.mohge.cli.plan.spark;

import org.apache.spark.api.java.function.Function;
import org.mohge.cli.plan.PointEvaluator;

/**
 * The function a Spark task runs: a task line in, the point's metrics line out. A named class, not
 * a lambda or method reference, so an executor deserialises it by loading this class from the
 * shipped mohge-cli jar (a lambda would need its capturing class's {@code $deserializeLambda$},
 * and fails as a {@code SerializedLambda} cast when that class cannot be resolved).
 */
final class EvaluatePoint implements Function<String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String call(String taskLine) {
        return PointEvaluator.evaluateTaskLine(taskLine);
    }
}
