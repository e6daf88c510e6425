package org.mohge.gpu.cuda;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that needs a CUDA device (like OptaPlanner's {@code @TurtleTest}): it runs only where
 * {@link CudaAvailability#probe()} finds one, and is skipped elsewhere with
 * {@code CUDA unavailable: <reason>}. Tagged {@code gpu} so a run can select or exclude them.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Test
@Tag("gpu")
@ExtendWith(GpuCondition.class)
public @interface GpuTest {
}
