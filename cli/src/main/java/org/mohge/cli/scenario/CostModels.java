package org.mohge.cli.scenario;

import java.nio.file.Path;
import org.mohge.costmodel.calibration.CalibrationProfile;
import org.mohge.costmodel.cost.AnalyticalCostModel;
import org.mohge.costmodel.cost.CalibratedCostModel;
import org.mohge.costmodel.cost.CostModel;

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
        Path file = PlacementResolver.resolveRelative(scenarioFile, scenario.calibration());
        CalibrationProfile profile = StrictJson.read(file, CalibrationProfile.class);
        return CalibratedCostModel.of(profile, file.getFileName().toString(), scenario.cluster());
    }
}
