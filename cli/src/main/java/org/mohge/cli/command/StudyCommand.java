package org.mohge.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import org.mohge.cli.output.Progress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mohge.cli.option.FormatOption;
import org.mohge.cli.option.ForceOption;
import org.mohge.cli.option.OutputDirOption;
import org.mohge.cli.option.ScenarioArgument;
import org.mohge.cli.output.OutputFolder;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.cli.scenario.StrictJson;
import org.mohge.cli.study.CompareRunner;
import org.mohge.cli.study.StudyRunner;
import org.mohge.cli.study.StudySpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mohge study}: one command from a scenario to an HTML/PNG report. */
@Command(name = "study",
        header = "Run the whole chain for a scenario and write an HTML/PNG report.",
        description = {"Run the whole chain for a scenario (parameters, routing, every placement strategy it lists, a",
            "simulation per placement, optional validation) and write DIR/index.html with PNG charts,",
            "results.json, results.csv and trace.json (Perfetto). The folder is replaced atomically.",
            "",
            "Given a study file ({\"name\": ..., \"compare\": [\"a.json\", {\"scenario\": \"b.json\", \"label\": ...,",
            "\"placement\": ..., \"groupBias\": ..., \"intraGroupBalance\": ...}]}) it sets the designs side by side.",
            "",
            "Given a scenario with a `serving` section it writes a serving study instead: latency CDFs,",
            "throughput and p99 latencies against offered load (0.25x to 3x the scenario's rate), KV use and",
            "batch size over time.",
            "",
            "Given a scenario with a `training` section it writes the whole step under its parallel layout:",
            "the pipeline timeline (one row per stage), per-stage work, memory per rank and trace.json (one",
            "Perfetto process per stage)."},
        footer = {"", "Examples:",
            "  mohge study scenarios/paper/mohge-3g-8xh100.json",
            "  mohge study scenarios/paper/study-paper-claims.json",
            "  mohge study scenarios/serving/mohge-3g-1xh100.json",
            "  mohge study scenarios/published/llama3-70b-64xh100.json",
            "  mohge study scenarios/paper/mohge-3g-8xh100.json --out out/report --seconds 5",
            "  mohge study scenarios/examples/validate-mohge-small.json --validate cpu --calibration "
                + "calibration/cpu-local.json"})
public final class StudyCommand implements Callable<Integer> {
    @Mixin
    ScenarioArgument scenario;
    @Mixin
    ForceOption force;
    @Mixin
    OutputDirOption out;
    @Option(names = "--validate", paramLabel = "cpu|cuda", description = "Also execute the layer on this backend and "
            + "compare predicted with measured partition times.")
    String validate;
    @Option(names = "--calibration", paramLabel = "FILE", description = "Calibration profile for --validate.")
    Path calibration;
    @Option(names = "--seconds", paramLabel = "N", description = "Time limit of the OptaPlanner search per study.")
    Double seconds;
    @Mixin
    FormatOption format;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (validate != null && !validate.equals("cpu") && !validate.equals("cuda")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--validate must be 'cpu' or 'cuda', got '" + validate + "'");
        }
        if (calibration != null) {
            org.mohge.cli.scenario.StrictJson.readTree(calibration);
        }
        if (seconds != null && !(seconds > 0)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--seconds must be > 0, got " + seconds);
        }
        // One read decides the file's kind: a study file has "compare", anything else is a scenario.
        JsonNode tree = StrictJson.readTree(scenario.file());
        String name = scenario.file().toString();
        if (tree.isObject() && tree.has("compare")) {
            return compare(StrictJson.convert(tree, name, StudySpec.class), err);
        }
        ScenarioSpec s = force.checked(StrictJson.convert(tree, name, ScenarioSpec.class), scenario.file());
        OutputFolder dir = out.claim(scenario.file(), s.output().dir(), s.name());
        if (s.hasServing()) {
            org.mohge.cli.serve.ServingStudy.run(s, scenario.file(), dir, Progress.lines(err, "[study] "));
            return wrote(dir, null);
        }
        if (s.hasLayout()) {
            if (validate != null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--validate executes one "
                        + "expert-parallel layer; " + scenario.file() + " is a training scenario (training section)");
            }
            org.mohge.cli.study.TrainingStudy.run(s, scenario.file(), dir, Progress.lines(err, "[study] "));
            return wrote(dir, null);
        }
        StudyRunner runner = new StudyRunner(Progress.lines(err, "[study] "), err);
        StudyRunner.Outcome outcome = runner.run(s, scenario.file(),
                new StudyRunner.Options(dir, validate, calibration, seconds));
        return wrote(dir, outcome.data().memoryWarning());
    }

    private int compare(StudySpec study, PrintWriter err) throws java.io.IOException {
        OutputFolder dir = out.claim(scenario.file(), study.output().dir(), study.name());
        new CompareRunner(Progress.lines(err, "[study] ")).run(study, scenario.file(), dir);
        return wrote(dir, null);
    }

    /** Says where the report went; with --json, prints results.json as the one document on stdout. */
    private int wrote(OutputFolder dir, String warning) throws java.io.IOException {
        Path index = dir.path().resolve("index.html");
        PrintWriter lines = format.json() ? spec.commandLine().getErr() : spec.commandLine().getOut();
        lines.println("wrote " + index);
        if (warning != null) {
            lines.println("WARNING: " + warning);
        }
        if (format.json()) {
            spec.commandLine().getOut().print(java.nio.file.Files.readString(dir.path().resolve("results.json")));
        }
        return ExitCodes.OK;
    }
}
