package org.mohge.gpu.api;

import org.mohge.costmodel.deploy.Placement;

/** A layer whose weights a backend has loaded (onto its device); runs forward passes and partitions. */
public interface ExecutableLayer extends AutoCloseable {

    LayerWeights weights();

    /** Full forward pass: route, permute, routed experts, shared experts, weighted combine. */
    LayerRun forward(FloatMatrix x);

    /**
     * Forward pass that also runs each GPU's partition of the placement alone (after the pass,
     * on the same routing) and reports its expert time in {@link StageTimings#partitions()}.
     */
    LayerRun forward(FloatMatrix x, Placement placement);

    /** Router only: the routing {@link #forward} would take for {@code x}. */
    Routing route(FloatMatrix x);

    /** Runs only the given partition's experts on its routed tokens and times it. */
    PartitionRun runPartition(FloatMatrix x, PartitionWork work);

    @Override
    void close();
}
