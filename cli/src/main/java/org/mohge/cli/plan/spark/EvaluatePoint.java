package org.mohge.cli.plan.spark;

import org.apache.spark.api.java.function.Function;
import org.mohge.cli.plan.PointEvaluator;
import org.mohge.cli.plan.TaskFunction;

/**
 * The function a Spark task runs: a task line in, the point's result line out, by the sweep's
 * {@link TaskFunction}. A named class holding a named function, not a lambda or method reference,
 * so an executor deserialises it by loading the classes from the shipped mohge-cli jar (a lambda
 * would need its capturing class's {@code $deserializeLambda$}, and fails as a
 * {@code SerializedLambda} cast when that class cannot be resolved).
 */
final class EvaluatePoint implements Function<String, String> {
    private static final long serialVersionUID = 2L;
    private final TaskFunction function;

    EvaluatePoint(TaskFunction function) {
        this.function = function;
    }

    @Override
    public String call(String taskLine) {
        return function.evaluate(taskLine);
    }

    /** A training sweep's point: {@link PointEvaluator#evaluateTaskLine}. */
    static final class TrainingPoint implements TaskFunction {
        private static final long serialVersionUID = 1L;

        @Override
        public String evaluate(String taskLine) {
            return PointEvaluator.evaluateTaskLine(taskLine);
        }
    }
}
