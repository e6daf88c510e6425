package org.mohge.placement.solver;

import java.util.ArrayList;
import java.util.List;
import org.mohge.placement.CoActivation;
import org.mohge.placement.evaluation.CopyCostTable;
import org.mohge.placement.persistence.Locality;

/**
 * Where each expert's copies sit, for the descent's locality term: the co-activation penalty of a
 * move, weighted as in the constraint streams (a pair's NIC time per token split over nodes, times
 * twice a balanced GPU's time: what that much more time on a balanced GPU adds to the squared
 * times). A move's change is measured by trying it on the sites and putting them back.
 */
final class CopySites {
    /** A co-activated partner of an expert and the penalty per unit of their tokens split over nodes. */
    private record Partner(int expert, double weight) {
    }

    /** Where one copy of an expert sits and the share it serves. */
    private static final class Site {
        int gpu;
        double share;

        Site(int gpu, double share) {
            this.gpu = gpu;
            this.share = share;
        }
    }

    private final int gpusPerNode;
    private final List<List<Partner>> partners = new ArrayList<>();
    private final List<List<Site>> sitesOf = new ArrayList<>();

    CopySites(Locality locality, CopyCostTable costs) {
        this.gpusPerNode = locality.gpusPerNode();
        double balancedUs = costs.totalSingleCopyUs() / costs.gpuCount();
        for (int e = 0; e < costs.expertCount(); e++) {
            partners.add(new ArrayList<>());
            sitesOf.add(new ArrayList<>());
        }
        for (CoActivation pair : locality.pairs()) {
            double weight = 2 * balancedUs * pair.tokensPerStep() * locality.usPerToken();
            partners.get(pair.expertA()).add(new Partner(pair.expertB(), weight));
            partners.get(pair.expertB()).add(new Partner(pair.expertA(), weight));
        }
    }

    /** GPUs holding a copy of {@code expert}. */
    List<Integer> gpusOf(int expert) {
        List<Integer> gpus = new ArrayList<>();
        for (Site site : sitesOf.get(expert)) {
            gpus.add(site.gpu);
        }
        return gpus;
    }

    void add(int expert, int gpu, double share) {
        sitesOf.get(expert).add(new Site(gpu, share));
    }

    void move(int expert, int from, int to) {
        siteOn(expert, from).gpu = to;
    }

    void setShare(int expert, int gpu, double share) {
        siteOn(expert, gpu).share = share;
    }

    private Site siteOn(int expert, int gpu) {
        for (Site site : sitesOf.get(expert)) {
            if (site.gpu == gpu) {
                return site;
            }
        }
        throw new IllegalStateException("expert " + expert + " has no copy on GPU " + gpu);
    }

    private boolean sameNode(int a, int b) {
        return a / gpusPerNode == b / gpusPerNode;
    }

    /**
     * Change of the penalty when {@code delta} of the expert's share moves from its copy on a to
     * its copy on b, or to a new copy there when {@code split}.
     */
    double shiftDelta(int expert, int a, int b, double delta, boolean split) {
        if (partners.get(expert).isEmpty() || sameNode(a, b)) {
            return 0;
        }
        int[] experts = {expert};
        double before = penaltyOfPairs(experts);
        List<Site> sites = sitesOf.get(expert);
        Site onA = siteOn(expert, a);
        Site onB = split ? new Site(b, 0) : siteOn(expert, b);
        if (split) {
            sites.add(onB);
        }
        onA.share -= delta;
        onB.share += delta;
        double after = penaltyOfPairs(experts);
        onA.share += delta;
        onB.share -= delta;
        if (split) {
            sites.remove(onB);
        }
        return after - before;
    }

    /**
     * Change of the penalty when the experts {@code moved[0 .. fromA)} move from a to b and the
     * rest from b to a; only pairs with a moved expert change, and only across nodes.
     */
    double exchangeDelta(int a, int b, int[] moved, int fromA) {
        if (sameNode(a, b)) {
            return 0;
        }
        boolean paired = false;
        for (int e : moved) {
            paired |= !partners.get(e).isEmpty();
        }
        if (!paired) {
            return 0;
        }
        double before = penaltyOfPairs(moved);
        moveAll(moved, fromA, a, b);
        double after = penaltyOfPairs(moved);
        moveAll(moved, fromA, b, a);
        return after - before;
    }

    /** Moves the first {@code fromA} of {@code moved} from a to b and the rest from b to a. */
    void moveAll(int[] moved, int fromA, int a, int b) {
        for (int m = 0; m < moved.length; m++) {
            if (m < fromA) {
                move(moved[m], a, b);
            } else {
                move(moved[m], b, a);
            }
        }
    }

    /** Penalty of all co-activated pairs as the copies sit now. */
    double totalPenalty() {
        double sum = 0;
        for (int e = 0; e < partners.size(); e++) {
            for (Partner partner : partners.get(e)) {
                if (partner.expert() > e) {
                    sum += partner.weight() * split(e, partner.expert());
                }
            }
        }
        return sum;
    }

    /** Penalty of the pairs that include one of {@code experts}, each pair once. */
    private double penaltyOfPairs(int[] experts) {
        double sum = 0;
        for (int m = 0; m < experts.length; m++) {
            for (Partner partner : partners.get(experts[m])) {
                int j = CopyExchanges.indexOf(experts, partner.expert());
                if (j >= 0 && j < m) {
                    continue; // counted with experts[j]
                }
                sum += partner.weight() * split(experts[m], partner.expert());
            }
        }
        return sum;
    }

    /** Share of a pair's tokens whose two experts meet on different nodes. */
    private double split(int e, int other) {
        double split = 0;
        for (Site x : sitesOf.get(e)) {
            for (Site y : sitesOf.get(other)) {
                if (!sameNode(x.gpu, y.gpu)) {
                    split += x.share * y.share;
                }
            }
        }
        return split;
    }
}
