package org.mohge.cli.command;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mohge.cli.option.FormatOption;
import org.mohge.cli.option.ScenarioArgument;
import org.mohge.cli.output.JsonOutput;
import org.mohge.cli.output.TextTable;
import org.mohge.cli.output.Units;
import org.mohge.cli.scenario.ScenarioException;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.arch.FlopAccounting;
import org.mohge.costmodel.arch.GroupParamCount;
import org.mohge.costmodel.arch.ModelSpec;
import org.mohge.costmodel.arch.MoeLayerSpec;
import org.mohge.costmodel.arch.ParamAccounting;
import org.mohge.costmodel.arch.ParamCount;
import org.mohge.costmodel.arch.ParamReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mohge params}: total, activated and router parameters per component and per group. */
@Command(name = "params",
        header = "Count total, activated and router parameters per component and group.",
        description = "Count total, activated and router parameters per component (and per expert group).",
        footer = {"", "Examples:",
            "  mohge params scenarios/real/deepseek-v3.json",
            "  mohge params scenarios/paper/mohge-3g-8xh100.json --group-mix 0.5,0.3,0.2 --json"})
public final class ParamsCommand implements Callable<Integer> {
    @Mixin
    ScenarioArgument scenario;
    @Mixin
    FormatOption format;
    @Option(names = "--group-mix", split = ",", paramLabel = "SHARE",
            description = "Share of routed-expert activations per expert group (grouped models) or per distinct "
                    + "expert size (others), smallest first; normalised to sum 1. Default: even over groups.")
    List<Double> groupMix;
    @Spec
    CommandSpec spec;

    /** The JSON document of {@code params --json}. */
    public record ParamsJson(String scenario, String moeKind, long totalParams, long activatedParams,
                             long activatedParamsWithoutInputEmbedding, long routerParams,
                             double activatedFraction, double forwardFlopsPerToken,
                             List<ParamCount> components, List<GroupParamCount> groups) {
    }

    @Override
    public Integer call() {
        ScenarioSpec s = scenario.load();
        ModelSpec model = s.model();
        double[] shares = model.isDense() ? denseShares() : shares(model.moe());
        ParamReport report = ParamAccounting.count(model, shares);
        double flops = FlopAccounting.forwardFlopsPerToken(model, shares,
                FlopAccounting.causalMeanContext(s.workload().sequenceLength()));
        PrintWriter out = spec.commandLine().getOut();
        if (format.json()) {
            JsonOutput.print(out, new ParamsJson(s.name(), kind(model), report.totalParams(),
                    Math.round(report.activatedParams()), Math.round(report.activatedParamsWithoutInputEmbedding()),
                    report.routerParams(), report.activatedParams() / report.totalParams(), flops,
                    report.components(), report.groups()));
            return ExitCodes.OK;
        }
        out.println("Parameters of " + s.name() + " (" + (model.isDense() ? "dense, " + model.layers() + " layers)"
                : model.moe().kind() + " MoE, " + model.layers() + " layers, " + model.moeLayers() + " MoE)"));
        TextTable table = new TextTable("component", "total", "activated/token");
        for (ParamCount c : report.components()) {
            table.row(c.component(), Units.count(c.totalParams()), Units.count(c.activatedParams()));
        }
        table.row("TOTAL", Units.count(report.totalParams()), Units.count(report.activatedParams()));
        out.print(table.render());
        out.println();
        if (!model.isDense()) {
            printGroups(out, report);
        }
        out.println("total params:       " + report.totalParams() + " (" + Units.count(report.totalParams()) + ")");
        out.println("activated params:   " + Math.round(report.activatedParams()) + " ("
                + Units.count(report.activatedParams()) + ", " + Units.percent(report.activatedParams()
                / report.totalParams()) + " of total; " + Units.count(report.activatedParamsWithoutInputEmbedding())
                + " without the input embedding)");
        out.println("router params:      " + report.routerParams() + " (" + Units.count(report.routerParams()) + ")");
        out.println("forward FLOPs/token: " + Units.count(flops) + " (sequence " + s.workload().sequenceLength()
                + ", causal)");
        return ExitCodes.OK;
    }

    private static String kind(ModelSpec model) {
        return model.isDense() ? "dense" : model.moe().kind();
    }

    private static void printGroups(PrintWriter out, ParamReport report) {
        TextTable groups = new TextTable("group", "expert hidden", "experts", "params/expert", "total",
                "activation share", "activated/token");
        for (GroupParamCount g : report.groups()) {
            groups.row(g.sizeClass(), g.expertHidden(), g.experts(), Units.count(g.paramsPerExpert()),
                    Units.count(g.totalParams()), Units.percent(g.activationShare()), Units.count(g.activatedParams()));
        }
        out.print(groups.render());
        out.println();
    }

    private double[] denseShares() {
        if (groupMix != null) {
            throw new ScenarioException("--group-mix: the model is dense (no moe section), it has no expert groups");
        }
        return new double[0];
    }

    private double[] shares(MoeLayerSpec moe) {
        if (groupMix == null) {
            return moe.defaultExpertShares();
        }
        int classes = moe.sizeClasses().size();
        if (groupMix.size() != classes) {
            throw new ScenarioException("--group-mix: needs " + classes + " shares (one per expert group), got "
                    + groupMix.size());
        }
        double sum = 0;
        for (int i = 0; i < groupMix.size(); i++) {
            double v = groupMix.get(i);
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new ScenarioException("--group-mix: share " + i + " must be >= 0, got " + v);
            }
            sum += v;
        }
        if (sum <= 0) {
            throw new ScenarioException("--group-mix: shares must not all be 0");
        }
        Map<Integer, Integer> classSize = new LinkedHashMap<>();
        List<ExpertShape> experts = new ArrayList<>(moe.expertShapes());
        experts.forEach(e -> classSize.merge(e.sizeClass(), 1, Integer::sum));
        double[] shares = new double[experts.size()];
        for (ExpertShape e : experts) {
            shares[e.index()] = groupMix.get(e.sizeClass()) / sum / classSize.get(e.sizeClass());
        }
        return shares;
    }
}
