package org.mohge.costmodel.profile;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mohge.costmodel.cost.KernelParams;
import org.mohge.costmodel.cost.ProfiledCostModel;
import org.mohge.costmodel.hardware.ClusterSpec;

/**
 * The published profiles shipped with the tool, one per GPU ({@code /profiles/<gpu>.json}), and
 * the cost model each one prices with. {@link #main} refits every profile of a folder from its
 * listed measurements and writes the fitted parameters back (the shipped files are its output).
 */
public final class GpuProfiles {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private GpuProfiles() {
    }

    /** The shipped profile of a catalog GPU, if one ships. */
    public static Optional<GpuProfile> find(String gpu) {
        String resource = resourceOf(gpu);
        try (InputStream in = GpuProfiles.class.getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(JSON.readValue(in, GpuProfile.class));
        } catch (IOException e) {
            throw new UncheckedIOException(resource + ": cannot read the shipped profile (" + e.getMessage() + ")", e);
        }
    }

    public static String resourceOf(String gpu) {
        return "/profiles/" + gpu.toLowerCase(Locale.ROOT) + ".json";
    }

    /** The cost model of the cluster's GPU priced with its shipped profile, if one ships. */
    public static Optional<ProfiledCostModel> costModel(ClusterSpec cluster) {
        return find(cluster.gpu().name()).map(p -> new ProfiledCostModel(cluster, p.params(), describe(p),
                p.hostCosts()));
    }

    /** What a report's footer says about the profile. */
    public static String describe(GpuProfile p) {
        String kernels = String.format(Locale.ROOT, "published profile %s (%d measurements, median error %.1f%%",
                resourceOf(p.gpu()).substring(1), p.measurements().size(), p.medianAbsErrorPct())
                + (p.checks().isEmpty() ? "" : String.format(Locale.ROOT, "; %d unfitted kernel checks, median error %.1f%%",
                        p.checks().size(), p.checkMedianAbsErrorPct()));
        GpuProfile.WholeStepFidelity w = p.wholeSteps();
        if (w == null) {
            return kernels + "; no published whole step checked)";
        }
        List<String> kinds = new ArrayList<>();
        kinds.add(w.dense() == null ? "no dense run checked" : w.dense().describe("dense"));
        kinds.add(w.moe() == null ? "no MoE run checked" : w.moe().describe("MoE"));
        if (w.rankings() != null) {
            kinds.add(w.rankings().describe());
        }
        return kernels + "; whole steps: " + String.join("; ", kinds) + ")";
    }

    /** The fit of a profile's measurements, started from (and pulled toward) {@code prior}'s parameters. */
    public static GpuProfile refit(GpuProfile profile, Optional<GpuProfile> prior) {
        KernelParams start = profile.prior() == null ? ProfileFitter.HOPPER_START
                : prior.orElseThrow(() -> new IllegalArgumentException(profile.gpu() + ": prior profile "
                        + profile.prior() + " not found")).params();
        return profile.withParams(ProfileFitter.fit(profile.measurements(), start));
    }

    /** Refits every {@code *.json} profile in the folder given (priors first: files without one). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        for (boolean withPrior : new boolean[] {false, true}) {
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    GpuProfile p = JSON.readValue(f.toFile(), GpuProfile.class);
                    if ((p.prior() != null) == withPrior) {
                        Optional<GpuProfile> prior = p.prior() == null ? Optional.empty()
                                : Optional.of(JSON.readValue(dir.resolve(p.prior() + ".json").toFile(), GpuProfile.class));
                        GpuProfile fitted = refit(p, prior);
                        JSON.writeValue(f.toFile(), fitted);
                        System.out.printf(Locale.ROOT, "%s: %s, median error %.1f%%%n", p.gpu(), fitted.params(),
                                fitted.medianAbsErrorPct());
                    }
                }
            }
        }
    }
}
