package org.mohge.placement.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.mohge.costmodel.cost.AnalyticalCostModel;
import org.mohge.placement.PlacementComparison;
import org.mohge.placement.PlacementResult;
import org.mohge.placement.PlacementRunner;
import org.mohge.placement.PlacementStrategies;

/**
 * Placement quality benchmark (printed figures, not a test). For each seeded instance it runs every
 * strategy, prices each placement with the analytical cost model and prints the largest per-GPU
 * expert time with its gap to the lower bound. Checks printed at the end: optaplanner is never
 * worse than greedy or replicate, and how many instances it brings within 1% of the bound.
 *
 * <p>Usage: {@code PlacementBenchmark [solverSeconds=10] [unimprovedSeconds=2] [seed=1] [first=0] [last=19]}
 */
public final class PlacementBenchmark {
    private PlacementBenchmark() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        double unimproved = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        int first = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        int last = args.length > 4 ? Integer.parseInt(args[4]) : BenchmarkInstances.count() - 1;
        run(System.out, System.err, seconds, unimproved, seed, first, last);
    }

    static void run(PrintStream out, PrintStream err, double seconds, double unimproved, long seed, int first,
                    int last) {
        List<String> strategies = PlacementStrategies.NAMES;
        out.printf(Locale.ROOT, "# placement benchmark: seed %d, solver %.1f s (unimproved %.1f s), analytical "
                + "H100 model; max GPU expert time in us (gap to lower bound)%n", seed, seconds, unimproved);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "| %-22s | %9s |", "instance", "bound us"));
        for (String s : strategies) {
            header.append(String.format(Locale.ROOT, " %-18s |", s));
        }
        header.append(" opt s | gd vs best |");
        out.println(header);
        out.println(header.toString().replaceAll("[^|]", "-"));
        int within1 = 0;
        int notWorse = 0;
        int instances = 0;
        for (int i = first; i <= last; i++) {
            BenchmarkInstances.Instance instance = BenchmarkInstances.instance(i, seed, seconds, unimproved);
            PlacementRunner runner = new PlacementRunner(instance.problem(),
                    new AnalyticalCostModel(instance.problem().cluster()));
            PlacementComparison comparison = runner.run(strategies, line -> { });
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %-22s | %9.1f |", instance.name(),
                    comparison.bounds().boundUs()));
            for (PlacementResult r : comparison.results()) {
                row.append(String.format(Locale.ROOT, " %9.1f (%5.2f%%)%s |", r.evaluation().maxGpuTimeUs(),
                        100 * r.evaluation().gapToLowerBound(), r.evaluation().feasible() ? "" : "!"));
            }
            PlacementResult opt = comparison.result("optaplanner");
            // The benchmark ranks by the slowest GPU's expert time (what the searches minimise).
            double best = comparison.results().stream().filter(r -> r.evaluation().feasible())
                    .mapToDouble(r -> r.evaluation().maxGpuTimeUs()).min()
                    .orElse(comparison.best().evaluation().maxGpuTimeUs());
            double gd = comparison.result("group-decoupled").evaluation().maxGpuTimeUs();
            row.append(String.format(Locale.ROOT, " %5.1f | %+8.2f%% |", opt.solveSeconds(), 100 * (gd / best - 1)));
            out.println(row);
            instances++;
            double optUs = opt.evaluation().maxGpuTimeUs();
            if (optUs <= comparison.result("greedy").evaluation().maxGpuTimeUs() + 1e-9
                    && optUs <= comparison.result("replicate").evaluation().maxGpuTimeUs() + 1e-9) {
                notWorse++;
            }
            if (opt.evaluation().gapToLowerBound() <= 0.01) {
                within1++;
            }
        }
        out.printf(Locale.ROOT, "optaplanner never worse than greedy and replicate: %d of %d instances%n", notWorse,
                instances);
        out.printf(Locale.ROOT, "optaplanner within 1%% of the lower bound: %d of %d instances%n", within1, instances);
    }
}
