package org.mohge.cli.safety;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;
import org.mohge.cli.output.OutputFolder;

/**
 * The failures a 216-case campaign of hostile inputs found (issue 12), kept as tests: each must
 * end with exit code 2, one line on stderr naming the path and the rule, no stack trace, and
 * nothing in the workspace touched.
 */
class HostileInputsTest {
    @TempDir
    Path dir;
    Workspace ws;

    @BeforeEach
    void setUp() {
        ws = new Workspace(dir);
    }

    /** Runs the CLI and checks the promise; returns the one stderr line. */
    private String refused(String... args) {
        Map<String, String> before = ws.snapshot();
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines()).as(r.err()).hasSize(1);
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
        assertThat(r.out()).isEmpty();
        assertThat(ws.snapshot()).as("nothing in the workspace touched").isEqualTo(before);
        return r.err().strip();
    }

    @Test
    void studyIntoAProjectFolderIsRefused() throws IOException {
        Path project = Files.createDirectories(dir.resolve("project/src"));
        Files.writeString(project.resolve("Main.java"), "class Main {}");
        assertThat(refused("study", Workspace.SMALL.toString(), "--out", dir.resolve("project").toString()))
                .contains("was not written by mohge");
    }

    @Test
    void studyIntoTheFolderHoldingOtherReportsIsRefused() throws IOException {
        Path other = Files.createDirectories(dir.resolve("out/other-report"));
        Files.writeString(other.resolve(OutputFolder.MARKER), "");
        Files.writeString(other.resolve("index.html"), "<html>");
        assertThat(refused("study", Workspace.SMALL.toString(), "--out", dir.resolve("out").toString()))
                .contains("not empty and was not written by mohge");
    }

    @Test
    void planIntoAFolderWithDataIsRefused() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("measurements.csv"), "a,b\n1,2\n");
        Path sweep = Path.of("..", "scenarios", "sweeps", "mohge-training-capacity.json");
        assertThat(refused("plan", sweep.toString(), "--out", data.toString())).contains("was not written by mohge");
    }

    @Test
    void aRerunOfAStudyKeepsTheNotesAUserAddedToItsReport() throws IOException {
        Path report = dir.resolve("report");
        CliRunner first = CliRunner.run("study", Workspace.SMALL.toString(), "--out", report.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        Files.writeString(report.resolve("my-notes.md"), "my analysis");
        assertThat(refused("study", Workspace.SMALL.toString(), "--out", report.toString()))
                .isEqualTo(report + ": holds my-notes.md, which mohge did not write; move it out of the report "
                        + "folder or name another folder");
    }

    @Test
    void anOutputFileIsNeverWrittenOverTheScenarioItCameFrom() throws IOException {
        Path scenario = Files.copy(Workspace.SMALL, dir.resolve("scenario.json"));
        assertThat(refused("simulate", scenario.toString(), "--trace", scenario.toString()))
                .isEqualTo(scenario + ": is an input of this run; name another file for the output");
    }

    @Test
    void optionsATrainingScenarioCannotUseAreRefusedNotIgnored() {
        String training = Path.of("..", "scenarios", "real", "qwen3-30b-a3b-training-16xh100.json").toString();
        assertThat(refused("cost", training, "--placement", "p.json")).startsWith("--placement p.json: not used for");
        assertThat(refused("simulate", training, "--dual-batch")).startsWith("--dual-batch: not used for");
    }

    @Test
    void aServingReplicaMustSplitHeadsAndExpertsEvenly() throws IOException {
        Path qwen = Path.of("..", "scenarios", "serving", "qwen3-30b-a3b-1xh100.json");
        ObjectNode tree = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(qwen.toFile());
        Workspace.at(tree, "cluster").put("gpusPerNode", 8);
        Workspace.at(Workspace.at(tree, "serving"), "deployment").put("tp", 3);
        Path tp3 = Files.writeString(dir.resolve("tp3.json"), tree.toString());
        // Qwen3-30B-A3B: 32 query heads, so a tp of 3 leaves whole heads on no GPU.
        assertThat(refused("serve", tp3.toString()))
                .isEqualTo(tp3 + ": serving.deployment.tp must divide model.attention.heads (32), got 3");
    }

    @Test
    void aPlanGivenAScenarioAndAnEmptyFidelitySuiteSaySo() throws IOException {
        assertThat(refused("plan", Workspace.SMALL.toString())).contains("is a scenario file; plan takes a sweep file");
        Path suite = Files.createDirectory(dir.resolve("suite"));
        Files.writeString(suite.resolve("reference.json"), "[]");
        assertThat(refused("bench", "fidelity", "--suite", suite.toString()))
                .isEqualTo(suite.resolve("reference.json") + ": lists no published runs; give at least one");
    }

    @Test
    void outIsAnExistingFileOrUnderOne() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "keep me");
        assertThat(refused("study", Workspace.SMALL.toString(), "--out", file.toString()))
                .isEqualTo(file + ": exists and is not a folder; name a folder (it is created)");
        assertThat(refused("study", Workspace.SMALL.toString(), "--out", file.resolve("report").toString()))
                .contains("notes.txt is a file, not a folder");
    }

    @Test
    void namesThatAreNotOneSafeFolderNameAreRefused() {
        for (String name : new String[] {".", "..", "...", "a/b", "x".repeat(300)}) {
            Path s = ws.scenario("named.json", t -> t.put("name", name));
            assertThat(refused("study", s.toString())).as(name).startsWith(s + ": name must");
        }
    }

    @Test
    void outputDirOfAScenarioMayNotLeaveItsFolder() throws IOException {
        Path victim = Files.createDirectories(dir.resolve("victim"));
        Files.writeString(victim.resolve("thesis.tex"), "years of work");
        Path home = Files.createDirectories(dir.resolve("downloads"));
        Path s = new Workspace(home).scenario("evil.json", t -> Workspace.at(t, "output").put("dir",
                home.resolve("../victim").toString()));
        assertThat(refused("study", s.toString())).startsWith(s + ": output.dir must name a folder inside");
        Path root = new Workspace(home).scenario("root.json", t -> Workspace.at(t, "output").put("dir", "/"));
        assertThat(refused("study", root.toString())).startsWith(root + ": output.dir must name a folder inside");
    }

    @Test
    void specialAndOversizedInputFilesFailAtOnce() throws Exception {
        assertThat(refused("params", "/dev/zero"))
                .isEqualTo("/dev/zero: cannot read file (not a regular file: a device, pipe or socket)");
        Path fifo = dir.resolve("pipe.json");
        Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
                "mkfifo is not available");
        assertThat(refused("params", fifo.toString())).startsWith(fifo + ": cannot read file (not a regular file");
        Path big = dir.resolve("big.json");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {' '}), 65L << 20); // sparse: 65 MiB
        }
        assertThat(refused("params", big.toString())).contains("over the 64 MiB limit");
    }

    @Test
    void sizesWhoseTablesWouldNotFitTheHeapAreInputErrors() {
        Path experts = ws.scenario("experts.json", t -> ((ObjectNode) t.at("/model/moe/groups/0")).put("experts",
                2_000_000_000));
        assertThat(refused("params", experts.toString())).contains("must be at most 65536 routed experts per layer");
        Path gpus = ws.scenario("gpus.json", t -> Workspace.at(t, "cluster").put("nodes", 1_000_000));
        assertThat(refused("params", gpus.toString())).contains("must be at most 131072 GPUs");
    }

    @Test
    void aRunOfHoursNeedsForce() {
        // 2048 tokens x 4 MoE layers = 8192 decisions per step; 100,000 steps = 819.2 M decisions, about
        // 164 s at 5 M/s: allowed. 1,000,000 steps exceed the step limit itself.
        Path tooMany = ws.scenario("steps.json", t -> Workspace.at(t, "routing").put("steps", 1_000_000));
        assertThat(refused("simulate", tooMany.toString())).contains("routing.steps must be at most 100000");
        // 2^30 tokens x 4 layers x 1000 steps = 4.3e12 decisions: about 10 days at 5 M/s.
        Path long1 = ws.scenario("long.json", t -> {
            Workspace.at(t, "workload").put("tokensPerStep", 1L << 30);
            Workspace.at(t, "routing").put("steps", 1000);
        });
        assertThat(refused("simulate", long1.toString())).contains("about 10 days").contains("--force");
    }

    @Test
    void aTrainingLayoutIsEstimatedByWhatItSimulatesNotByEveryToken() {
        // DeepSeek-V3 on 2048 H800: 62.9 M tokens x 58 MoE layers would be 3.6e9 per-token decisions,
        // but one rank per stage is simulated: 120 micro-batches x 58 layers x 256 experts = 1.78e6 draws.
        org.mohge.cli.scenario.ScenarioSpec s = org.mohge.cli.scenario.ScenarioLoader.load(
                Path.of("..", "scenarios", "real", "deepseek-v3-training-2048xh800.json"));
        assertThat(org.mohge.cli.scenario.WorkEstimate.decisions(s)).isEqualTo(120.0 * 58 * 256);
    }

    @Test
    void saturatingKnobsAreRefused() {
        Path s = ws.scenario("bias.json", t -> Workspace.at(t, "routing").put("groupBias", 1e308));
        assertThat(refused("simulate", s.toString())).contains("routing.groupBias must be at most 50.0");
    }

    @Test
    void loadProfilesMustMatchTheModelAndCarryLoad() throws IOException {
        Path s = ws.scenario("s.json", t -> { });
        String ones = "[" + "1.0,".repeat(23) + "1.0]";
        Path layer99 = Files.writeString(dir.resolve("l99.json"), "{\"layers\": [{\"layer\": 99, \"expertLoads\": "
                + ones + "}]}");
        assertThat(refused("place", s.toString(), "--load-profile", layer99.toString(), "--strategies", "greedy"))
                .isEqualTo(layer99 + ": layers[0].layer must name a MoE layer of the model (0..3), got 99");
        Path zeros = Files.writeString(dir.resolve("zeros.json"), "{\"layers\": [{\"layer\": 0, \"expertLoads\": "
                + ones.replace("1.0", "0.0") + "}]}");
        assertThat(refused("place", s.toString(), "--load-profile", zeros.toString(), "--strategies", "greedy"))
                .contains("expertLoads must route some tokens");
        Path huge = Files.writeString(dir.resolve("huge.json"), "{\"layers\": [{\"layer\": 0, \"expertLoads\": "
                + ones.replace("1.0", "1e308") + "}]}");
        assertThat(refused("place", s.toString(), "--load-profile", huge.toString(), "--strategies", "greedy"))
                .contains("must be at most 1.0E12 tokens per step");
    }

    @Test
    void traceRowsMustMatchTopK() throws IOException {
        Path trace = Files.writeString(dir.resolve("t.csv"), "step,layer,token,experts\n0,0,0,1;2;3\n");
        Path s = ws.scenario("trace.json", t -> {
            ObjectNode routing = t.putObject("routing");
            routing.put("model", "trace");
            routing.put("tracePath", "t.csv");
        });
        // validate-mohge-small routes each token to topGroups x topExpertsPerGroup = 2 x 2 = 4 experts.
        assertThat(refused("simulate", s.toString())).isEqualTo(trace + ": line 2 experts must list exactly 4 "
                + "experts (the model routes each token to 4), got 3");
    }

    @Test
    void impossibleSlotLimitIsAnInputError() {
        // 24 experts on 4 GPUs need at least 6 slots per GPU.
        Path s = ws.scenario("slots.json", t -> Workspace.at(t, "placement").put("maxExpertsPerGpu", 5));
        assertThat(refused("place", s.toString())).contains("placement.maxExpertsPerGpu cannot hold the model: 5 "
                + "experts on each of 4 GPUs is fewer than the model's 24 experts");
    }

    @Test
    void badOptionValuesGiveOneLineAndAPointerToHelp() {
        assertThat(refused("plan", "x.json", "--threads", "many")).endsWith("(see 'mohge plan --help')");
        assertThat(refused("bench", "nope")).endsWith("(see 'mohge bench --help')");
        assertThat(refused("study", Workspace.SMALL.toString(), "--validate", "tpu"))
                .isEqualTo("--validate must be 'cpu' or 'cuda', got 'tpu' (see 'mohge study --help')");
    }

    @Test
    void aReadOnlyFolderIsOneLine() throws IOException {
        Path locked = Files.createDirectories(dir.resolve("locked"));
        Assumptions.assumeTrue(locked.toFile().setWritable(false, false) && !Files.isWritable(locked),
                "this user can write to a read-only folder (root)");
        try {
            assertThat(refused("study", Workspace.SMALL.toString(), "--out", locked.resolve("r").toString()))
                    .isEqualTo(locked.resolve("r") + ": cannot be created: folder " + locked + " is not writable");
        } finally {
            locked.toFile().setWritable(true, false);
        }
    }

    @Test
    void outputFilesThatAreFoldersFailBeforeWork() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("traces"));
        assertThat(refused("simulate", Workspace.SMALL.toString(), "--trace", folder.toString()))
                .isEqualTo(folder + ": is a folder; name a file");
        assertThat(refused("place", Workspace.SMALL.toString(), "--out", folder.toString(), "--strategies", "greedy"))
                .isEqualTo(folder + ": is a folder; name a file");
    }
}
