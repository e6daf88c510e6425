package org.mohge.cli.scenario;

import java.io.IOException;
import java.io.InputStream;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.mohge.costmodel.calibration.CalibrationProfile;
import org.mohge.costmodel.cost.AnalyticalCostModel;
import org.mohge.costmodel.cost.CalibratedCostModel;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.costmodel.profile.GpuProfiles;

/**
 * The cost model of a scenario, in this order: the profile the scenario names
 * ({@code "calibration": "calibration/cpu-local.json"}); {@code "calibration": "analytical"} for
 * the uncalibrated model on purpose; the profile shipped for the scenario's GPU (a resource
 * {@code /calibration/<gpu>.json}, e.g. {@code h200-sxm.json} once measured on an H200); the GPU's
 * published profile ({@link GpuProfiles}: per-kernel prices fitted to public measurements); else
 * the uncalibrated analytical model. Every report prints {@link CostModel#description()} so readers
 * know which produced the numbers.
 */
public final class CostModels {
    /** The {@code calibration} value that asks for the analytical model even where a profile ships. */
    public static final String ANALYTICAL = "analytical";

    private CostModels() {
    }

    public static CostModel forScenario(ScenarioSpec scenario, Path scenarioFile) {
        String calibration = scenario.calibration();
        if (ANALYTICAL.equals(calibration)) {
            return new AnalyticalCostModel(scenario.cluster());
        }
        if (calibration != null) {
            return fromProfile(PlacementResolver.resolveRelative(scenarioFile, calibration), scenario.cluster());
        }
        String resource = "/calibration/" + scenario.cluster().gpu().name() + ".json";
        try (InputStream shipped = CostModels.class.getResourceAsStream(resource)) {
            if (shipped != null) {
                CalibrationProfile profile = StrictJson.read(shipped, resource, CalibrationProfile.class);
                return CalibratedCostModel.of(profile, "the shipped profile " + resource.substring(1),
                        scenario.cluster());
            }
        } catch (IOException e) {
            throw new ScenarioException(resource + ": cannot read the shipped calibration profile (" + e.getMessage()
                    + ")", e);
        }
        return GpuProfiles.costModel(scenario.cluster()).<CostModel>map(m -> m)
                .orElseGet(() -> new AnalyticalCostModel(scenario.cluster()));
    }

    /** The calibrated model of a profile file; all-to-all stays analytical on {@code cluster}. */
    public static CostModel fromProfile(Path file, ClusterSpec cluster) {
        JsonNode tree = StrictJson.readTree(file);
        if (!tree.has("device") && ScenarioLoader.looksLikeScenario(tree)) {
            throw new ScenarioException(file + ": is a scenario, not a calibration profile (one has device, backend "
                    + "and gemm; write one with mohge calibrate --out FILE)");
        }
        CalibrationProfile profile = StrictJson.convert(tree, file.toString(), CalibrationProfile.class);
        return CalibratedCostModel.of(profile, file.getFileName().toString(), cluster);
    }
}
