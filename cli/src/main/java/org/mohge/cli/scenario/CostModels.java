package org.mohge.cli.scenario;

import java.nio.file.Path;
import org.mohge.costmodel.calibration.CalibrationProfile;
import org.mohge.costmodel.cost.AnalyticalCostModel;
import org.mohge.costmodel.cost.CalibratedCostModel;
import org.mohge.costmodel.cost.CostModel;
import org.mohge.costmodel.hardware.ClusterSpec;

/**
 * The cost model of a scenario: the calibrated one when the scenario names a calibration profile
 * ({@code "calibration": "calibration/cpu-local.json"}), the uncalibrated analytical one otherwise.
 * Every report prints {@link CostModel#description()} so readers know which produced the numbers.
 */
public final class CostModels {
    private CostModels() {
    }

    public static CostModel forScenario(ScenarioSpec scenario, Path scenarioFile) {
        if (scenario.calibration() == null) {
            return new AnalyticalCostModel(scenario.cluster());
        }
        return fromProfile(PlacementResolver.resolveRelative(scenarioFile, scenario.calibration()), scenario.cluster());
    }

    /** The calibrated model of a profile file; all-to-all stays analytical on {@code cluster}. */
    public static CostModel fromProfile(Path file, ClusterSpec cluster) {
        CalibrationProfile profile = StrictJson.read(file, CalibrationProfile.class);
        return CalibratedCostModel.of(profile, file.getFileName().toString(), cluster);
    }
}
