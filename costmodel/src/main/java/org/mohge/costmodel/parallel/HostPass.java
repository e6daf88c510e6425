package org.mohge.costmodel.parallel;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.cost.HostCosts;

/**
 * One micro-batch's pass over a pipeline stage as the host issues it: each layer's forward pieces
 * in order, then each layer's backward pieces in reverse layer order, through one
 * {@link IssueQueue}. Says how long the GPU waits for the host.
 */
final class HostPass {
    /** One piece of a layer's pass: what the host issues for it, the GPU time it takes, and whether the host then waits. */
    record Piece(HostSchedule.Issue issue, double gpuUs, boolean syncAfter) {
    }

    private final List<List<Piece>> forward = new ArrayList<>();
    private final List<List<Piece>> backward = new ArrayList<>();

    /** The next layer's forward and backward pieces, each in the order they run. */
    void layer(List<Piece> forwardPieces, List<Piece> backwardPieces) {
        forward.add(List.copyOf(forwardPieces));
        backward.add(List.copyOf(backwardPieces));
    }

    /** The time the GPU waits for the host, {forward, backward}, at these host costs. */
    double[] hostBoundUs(HostCosts host) {
        IssueQueue queue = new IssueQueue();
        for (List<Piece> layer : forward) {
            issue(queue, layer, host);
        }
        double forwardBound = Math.max(0, queue.hostBoundUs());
        for (int i = backward.size() - 1; i >= 0; i--) {
            issue(queue, backward.get(i), host);
        }
        return new double[] {forwardBound, Math.max(0, queue.hostBoundUs() - forwardBound)};
    }

    private static void issue(IssueQueue queue, List<Piece> pieces, HostCosts host) {
        for (Piece p : pieces) {
            HostSchedule.Issue i = p.issue();
            queue.issue(i.total(), host.issueUs(i.ops(), i.loopKernels()), p.gpuUs());
            if (p.syncAfter()) {
                queue.sync();
            }
        }
    }
}
