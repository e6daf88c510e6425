package org.mohge.gpu.cuda;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables {@link GpuTest}s only where a CUDA device can be used. */
public final class GpuCondition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        CudaAvailability a = CudaAvailability.probe();
        return a.available()
                ? ConditionEvaluationResult.enabled("CUDA device: " + a.deviceName())
                : ConditionEvaluationResult.disabled("CUDA unavailable: " + a.reason());
    }
}
