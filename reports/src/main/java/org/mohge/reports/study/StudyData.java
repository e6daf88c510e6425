package org.mohge.reports.study;

import java.util.List;
import org.mohge.costmodel.arch.ParamReport;
import org.mohge.costmodel.cost.MemoryEstimate;
import org.mohge.placement.LayeredPlacementRunner.LayeredComparison;
import org.mohge.reports.chart.ValidationCharts;
import org.mohge.sim.core.Schedule;
import org.mohge.sim.metrics.SimResult;

/**
 * Everything one study found, ready to be laid out: the scenario's description, parameter
 * counts, the placement comparison (one per profiled MoE layer), one simulation per placement (empty when the model does not
 * fit), memory of the chosen placement, the timeline of the first MoE layer under the fastest
 * placement and, when another placement is slowest, under that one too ({@code slowTimeline}, or null),
 * and, when validation
 * ran, its partition points. {@code memoryWarning} is set when a GPU is over capacity.
 */
public record StudyData(String scenario, List<String> summary, String costModel, long seed, String scenarioSha256,
                        ParamReport params, LayeredComparison placements, List<SimResult> runs,
                        List<MemoryEstimate> memory, String memoryWarning, Schedule timeline, String timelinePlacement,
                        Schedule slowTimeline, String slowTimelinePlacement, int timelineLayer,
                        List<ValidationCharts.Point> validation, String validationSummary) {
    public StudyData {
        summary = List.copyOf(summary);
        runs = List.copyOf(runs);
        memory = List.copyOf(memory);
        validation = validation == null ? List.of() : List.copyOf(validation);
    }
}
