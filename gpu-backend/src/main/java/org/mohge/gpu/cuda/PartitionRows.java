package org.mohge.gpu.cuda;

import java.util.List;
import org.mohge.gpu.api.ExpertTokens;
import org.mohge.gpu.api.PartitionWork;

/**
 * One GPU partition's routed rows flattened for the device: the partition's experts in order,
 * each expert's row count, and per row the token it reads and the gate weight it is combined
 * with. Rows of one expert are consecutive, as the grouped GEMM needs.
 */
record PartitionRows(int[] experts, int[] rows, int[] tokens, float[] weights) {

    /** Checks the work against the layer ({@code layerExperts} routed experts, {@code tokenCount} tokens). */
    static PartitionRows of(PartitionWork work, int layerExperts, int tokenCount) {
        List<ExpertTokens> list = work.experts();
        int n = list.size();
        int[] ids = new int[n];
        int[] rows = new int[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            ids[i] = list.get(i).expert();
            if (ids[i] >= layerExperts) {
                throw new IllegalArgumentException("partition " + work.gpu() + " lists expert " + ids[i]
                        + ", the layer has " + layerExperts);
            }
            rows[i] = list.get(i).tokens().length;
            total += rows[i];
        }
        int[] tokens = new int[total];
        float[] weights = new float[total];
        int at = 0;
        for (ExpertTokens et : list) {
            for (int j = 0; j < et.tokens().length; j++) {
                if (et.tokens()[j] < 0 || et.tokens()[j] >= tokenCount) {
                    throw new IllegalArgumentException("partition " + work.gpu() + " has token " + et.tokens()[j]
                            + " outside [0, " + tokenCount + ")");
                }
                tokens[at] = et.tokens()[j];
                weights[at++] = et.weights()[j];
            }
        }
        return new PartitionRows(ids, rows, tokens, weights);
    }

    int total() {
        return tokens.length;
    }
}
