package org.mohge.cli.serve;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.sim.serving.ArrivalSpec;
import org.mohge.sim.serving.ServingResult;
import org.mohge.sim.serving.ServingSpec;
import org.mohge.sim.serving.SloSpec;

/**
 * The highest arrival rate a deployment sustains within its SLO: p99 TTFT and p99 TPOT within the
 * {@code slo} section and no request rejected. From the scenario's rate, the rate doubles while it
 * meets the SLO (at most {@value #MAX_DOUBLINGS} times) and halves while it fails, then
 * {@code steps} bisections narrow the bracket. Every point runs the same seed and request count, so
 * the answer is a deterministic function of the scenario (no clock involved).
 */
public final class CapacitySearch {
    static final int MAX_DOUBLINGS = 12;

    /** One evaluated rate. */
    public record Point(double ratePerSecond, boolean meetsSlo, ServingResult result) {
    }

    /**
     * Output share of saturation above which the answer is flagged: queueing delay grows as
     * 1 / (1 - load), so within the last tenth a backlog builds too slowly for a short run to show.
     */
    static final double NEAR_SATURATION = 0.9;

    /** All evaluated points in rate order, and the highest rate that met the SLO (0 when none did). */
    public record Outcome(double maxRatePerSecond, SloSpec slo, List<Point> points) {
        /**
         * Output tokens/s at the answer over the most any evaluated rate drew from the deployment (its
         * saturation throughput, as far as the search saw it); 0 when no rate met the SLO.
         */
        public double saturationShare() {
            double most = 0;
            double atAnswer = 0;
            for (Point p : points) {
                most = Math.max(most, p.result().outputTokensPerS());
                if (p.ratePerSecond() == maxRatePerSecond) {
                    atAnswer = p.result().outputTokensPerS();
                }
            }
            return most > 0 && maxRatePerSecond > 0 ? atAnswer / most : 0;
        }
    }

    private CapacitySearch() {
    }

    public static Outcome search(ScenarioSpec s, Path file, ServingSpec serving, double[][] inclusion, int steps) {
        SloSpec slo = serving.slo();
        if (slo == null) {
            throw new ScenarioException(file + ": serving.slo is required by --max-rate");
        }
        double start;
        if (serving.arrivals() instanceof ArrivalSpec.Poisson p) {
            start = p.ratePerSecond();
        } else if (serving.arrivals() instanceof ArrivalSpec.Gamma g) {
            start = g.ratePerSecond();
        } else {
            throw new ScenarioException(file + ": serving.arrivals --max-rate needs poisson or gamma arrivals, not a trace");
        }
        List<Point> points = new ArrayList<>();
        Point first = eval(s, file, serving, inclusion, start, slo);
        points.add(first);
        double lo;
        double hi;
        if (first.meetsSlo()) {
            lo = start;
            hi = start * 2;
            for (int i = 0; i < MAX_DOUBLINGS; i++) {
                Point p = eval(s, file, serving, inclusion, hi, slo);
                points.add(p);
                if (!p.meetsSlo()) {
                    break;
                }
                lo = hi;
                hi *= 2;
            }
        } else {
            hi = start;
            lo = start / 2;
            for (int i = 0; ; i++) {
                Point p = eval(s, file, serving, inclusion, lo, slo);
                points.add(p);
                if (p.meetsSlo()) {
                    break;
                }
                if (i == MAX_DOUBLINGS) {
                    points.sort(Comparator.comparingDouble(Point::ratePerSecond));
                    return new Outcome(0, slo, points);
                }
                hi = lo;
                lo /= 2;
            }
        }
        for (int i = 0; i < steps; i++) {
            double mid = (lo + hi) / 2;
            Point p = eval(s, file, serving, inclusion, mid, slo);
            points.add(p);
            if (p.meetsSlo()) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        points.sort(Comparator.comparingDouble(Point::ratePerSecond));
        return new Outcome(lo, slo, points);
    }

    private static Point eval(ScenarioSpec s, Path file, ServingSpec serving, double[][] inclusion, double rate,
                              SloSpec slo) {
        ServingSpec at = ServeReport.override(serving, rate, null, file);
        ServingResult r = ServeRunner.run(s, file, at, inclusion, null);
        boolean meets = r.rejected() == 0 && r.ttft().p99Ms() <= slo.ttftMs() && r.tpot().p99Ms() <= slo.tpotMs();
        return new Point(rate, meets, r);
    }
}
