/**
 * The parallel layout of a training job (tensor, pipeline, context, data, expert and expert-tensor
 * parallelism with their sharding flags), its batch and recompute settings, precision recipes,
 * and the per-rank prices of a whole training step under it: memory, collectives, the pipeline.
 */
package org.mohge.costmodel.parallel;
