package org.mohge.cli.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Pareto front and best choice over designs given as (id, cost per hour, tokens/s). A design is on
 * the front when no other design costs at most as much and reaches at least as many tokens/s, with
 * one of the two strictly better. The best design is the cheapest of those meeting the target;
 * ties go to more tokens/s, then to the smaller id.
 */
public final class ParetoFront {
    private ParetoFront() {
    }

    /** A design as the front sees it. */
    public record Design(String id, double costPerHour, double tokensPerSecond) {
    }

    /** Ids of the non-dominated designs, cheapest first (ties: more tokens/s, then id). */
    public static List<String> front(List<Design> designs) {
        List<Design> sorted = new ArrayList<>(designs);
        sorted.sort(ORDER);
        List<String> front = new ArrayList<>();
        for (Design d : sorted) {
            boolean dominated = false;
            for (Design o : designs) {
                if (o != d && o.costPerHour() <= d.costPerHour() && o.tokensPerSecond() >= d.tokensPerSecond()
                        && (o.costPerHour() < d.costPerHour() || o.tokensPerSecond() > d.tokensPerSecond())) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                front.add(d.id());
            }
        }
        return front;
    }

    /** The cheapest of {@code meeting} (the designs that meet the target), if any. */
    public static Optional<Design> best(List<Design> meeting) {
        return meeting.stream().min(ORDER);
    }

    private static final Comparator<Design> ORDER = Comparator.comparingDouble(Design::costPerHour)
            .thenComparing(Comparator.comparingDouble(Design::tokensPerSecond).reversed())
            .thenComparing(Design::id);
}
