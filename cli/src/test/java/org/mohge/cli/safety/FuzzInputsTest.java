package org.mohge.cli.safety;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mohge.cli.CliRunner;

/**
 * Generated hostile inputs: shipped scenario, sweep, placement, load-profile and trace files, each
 * edited once ({@link Mutation}), fed to the commands that read them. Whatever the edit, a command
 * must end with exit 0 or 2; an exit 2 prints exactly one stderr line; no stack trace; nothing
 * outside the command's output path is touched and no staging file is left.
 *
 * <p>Seeded, so every run generates the same cases. Cases per file kind: {@code mohge.fuzzTries}
 * (40 in {@code mvn verify}; {@code -Dmohge.fuzzTries=2000} for the long run in the README).
 * Simulations estimated over 3 s are refused (exit 2) so a generated huge model stays quick.
 */
class FuzzInputsTest {
    private static final Path SCENARIOS = Path.of("..", "scenarios").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger CASES = new AtomicInteger();
    /** Exit codes seen, by command, printed at the end so a run shows what it exercised. */
    private static final Map<String, Integer> OUTCOMES = new java.util.concurrent.ConcurrentSkipListMap<>();
    private static Path workspace;
    private static Path placementBase;
    private static Path sweepBase;

    @BeforeAll
    static void setUp() throws IOException {
        System.setProperty("mohge.runLimitSeconds", "3");
        workspace = Files.createTempDirectory("mohge-fuzz-");
        placementBase = workspace.resolve("base-placement.json");
        CliRunner made = CliRunner.run("place", Workspace.SMALL.toString(), "--strategies", "greedy", "--out",
                placementBase.toString());
        assertThat(made.exitCode()).as(made.err()).isZero();
        sweepBase = workspace.resolve("base-sweep.json");
        Files.writeString(sweepBase, trimmedShippedSweep());
    }

    @AfterAll
    static void tearDown() throws IOException {
        System.out.println("fuzz outcomes (command exit: cases): " + OUTCOMES);
        System.clearProperty("mohge.runLimitSeconds");
        try (Stream<Path> all = Files.walk(workspace)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The shipped sweep cut to two points (one value per axis, two placements), its base made absolute. */
    private static String trimmedShippedSweep() throws IOException {
        Path shipped = SCENARIOS.resolve("sweeps/mohge-training-capacity.json");
        ObjectNode sweep = (ObjectNode) JSON.readTree(shipped.toFile());
        sweep.put("base", shipped.getParent().resolve(sweep.get("base").asText()).normalize().toString());
        ObjectNode axes = (ObjectNode) sweep.get("axes");
        List<String> names = new ArrayList<>();
        axes.fieldNames().forEachRemaining(names::add);
        for (String axis : names) {
            ArrayNode values = (ArrayNode) axes.get(axis);
            int keep = axis.equals("placement") ? 2 : 1;
            while (values.size() > keep) {
                values.remove(values.size() - 1);
            }
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(sweep);
    }

    private static final List<String> SCENARIO_BASES = List.of("examples/validate-mohge-small.json",
            "examples/place-skewed-mohge-2x4xh100.json", "examples/sim-trace-replay.json",
            "paper/mohge-3g-8xh100.json", "paper/hmoe-64e-8xh100.json", "real/mixtral-8x7b.json",
            "real/qwen3-30b-a3b-training-16xh100.json", "serving/qwen3-30b-a3b-1xh100.json",
            "published/llama3-8b-8xh100.json", "published/gpt-oss-120b-64xh100.json",
            "examples/sim-rebalance-drift.json", "serving/deepseek-v3-pd-4x8xh200.json");
    private static final List<Mutation.Kind> JSON_EDITS = List.of(Mutation.Kind.DELETE, Mutation.Kind.RETYPE,
            Mutation.Kind.RESCALE, Mutation.Kind.INJECT_STRING, Mutation.Kind.DUPLICATE_KEY, Mutation.Kind.TRUNCATE);
    private static final List<String> SCENARIO_COMMANDS = List.of("params", "cost", "simulate", "place", "serve");

    /** Cases per file kind: the system property {@code mohge.fuzzTries}, else 40. */
    private static int tries() {
        return Integer.getInteger("mohge.fuzzTries", 40);
    }

    /** {@code tries()} generated cases named by their index; case i draws from seed {@code base + i}. */
    private static Stream<DynamicTest> cases(String kind, long base, CaseBody body) {
        return java.util.stream.IntStream.range(0, tries()).mapToObj(i -> DynamicTest.dynamicTest(kind + " #" + i,
                () -> body.run(new SplittableRandom(base + i))));
    }

    /** One generated case. */
    private interface CaseBody {
        void run(SplittableRandom random) throws IOException;
    }

    private static <T> T pick(List<T> values, SplittableRandom r) {
        return values.get(r.nextInt(values.size()));
    }

    @TestFactory
    Stream<DynamicTest> editedScenarios() {
        return cases("scenario", 20261201L << 16, r -> {
            Path caseDir = newCase();
            Path source = SCENARIOS.resolve(pick(SCENARIO_BASES, r));
            String command = pick(SCENARIO_COMMANDS, r);
            // Files the scenario names (traces, load profiles, co-activations) go beside it, unedited.
            try (Stream<Path> siblings = Files.list(source.getParent())) {
                for (Path p : siblings.filter(p -> p.getFileName().toString().startsWith(baseName(source) + "."))
                        .toList()) {
                    Files.copy(p, caseDir.resolve(p.getFileName()));
                }
            }
            Path file = write(caseDir, source.getFileName().toString(),
                    new Mutation(pick(JSON_EDITS, r), r.nextLong()).apply(read(source), false));
            Path out = caseDir.resolve("placement-out.json");
            List<String> args = new ArrayList<>(List.of(command, file.toString()));
            if (command.equals("serve")) {
                args.addAll(List.of("--requests", "200"));
            }
            if (command.equals("place")) {
                args.addAll(List.of("--strategies", "contiguous,greedy", "--out", out.toString()));
            }
            check(args, out, file);
        });
    }

    @TestFactory
    Stream<DynamicTest> editedSweeps() {
        return cases("sweep", 20261202L << 16, r -> {
            Path caseDir = newCase();
            Path file = write(caseDir, "sweep.json",
                    new Mutation(pick(JSON_EDITS, r), r.nextLong()).apply(read(sweepBase), false));
            Path out = caseDir.resolve("plan");
            check(List.of("plan", file.toString(), "--out", out.toString(), "--threads", "1"), out, file);
        });
    }

    @TestFactory
    Stream<DynamicTest> editedPlacements() {
        return cases("placement", 20261203L << 16, r -> {
            Path caseDir = newCase();
            Path file = write(caseDir, "placement.json",
                    new Mutation(pick(JSON_EDITS, r), r.nextLong()).apply(read(placementBase), false));
            check(List.of("simulate", Workspace.SMALL.toString(), "--placement", file.toString()), null, file);
        });
    }

    @TestFactory
    Stream<DynamicTest> editedLoadProfiles() {
        return cases("load profile", 20261204L << 16, r -> {
            Path caseDir = newCase();
            Path shipped = SCENARIOS.resolve("examples/place-skewed-mohge-2x4xh100.loads.json");
            Path file = write(caseDir, "loads.json",
                    new Mutation(pick(JSON_EDITS, r), r.nextLong()).apply(read(shipped), false));
            Path out = caseDir.resolve("placement-out.json");
            check(List.of("place", SCENARIOS.resolve("examples/place-skewed-mohge-2x4xh100.json").toString(),
                    "--load-profile", file.toString(), "--strategies", "greedy", "--out", out.toString()), out, file);
        });
    }

    @TestFactory
    Stream<DynamicTest> editedTraces() {
        return cases("trace", 20261205L << 16, r -> {
            Path caseDir = newCase();
            Files.copy(SCENARIOS.resolve("examples/sim-trace-replay.json"), caseDir.resolve("sim-trace-replay.json"));
            Path shipped = SCENARIOS.resolve("examples/sim-trace-replay.routing.csv");
            Mutation m = new Mutation(r.nextInt(4) == 0 ? Mutation.Kind.TRUNCATE : Mutation.Kind.LINE_EDIT,
                    r.nextLong());
            Path file = write(caseDir, "sim-trace-replay.routing.csv", m.apply(read(shipped), true));
            check(List.of("simulate", caseDir.resolve("sim-trace-replay.json").toString()), null, file);
        });
    }

    /** Runs the command and checks the promise; {@code out} (may be null) is the one path it may write. */
    private static void check(List<String> args, Path out, Path input) throws IOException {
        Map<String, String> before = snapshotWithout(out);
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        String what = String.join(" ", args) + "\ninput: " + excerpt(input) + "\nstderr: " + r.err();
        OUTCOMES.merge(args.get(0) + " " + r.exitCode(), 1, Integer::sum);
        assertThat(r.exitCode()).as(what).isIn(0, 2);
        assertThat(r.err()).as(what).doesNotContain("\tat ", "Exception:", "Error:");
        if (r.exitCode() == 2) {
            assertThat(r.err().lines()).as(what).hasSize(1);
        }
        assertThat(snapshotWithout(out)).as("nothing but the output touched, no staging left: " + what)
                .isEqualTo(before);
    }

    private static Map<String, String> snapshotWithout(Path out) {
        Map<String, String> all = new Workspace(workspace).snapshot();
        if (out != null) {
            String skip = workspace.relativize(out).toString();
            all.keySet().removeIf(k -> k.equals(skip) || k.startsWith(skip + "/"));
        }
        return all;
    }

    private static Path newCase() throws IOException {
        return Files.createDirectory(workspace.resolve("case-" + CASES.incrementAndGet()));
    }

    private static String baseName(Path file) {
        String n = file.getFileName().toString();
        return n.substring(0, n.length() - ".json".length());
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p);
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static String excerpt(Path input) throws IOException {
        String s = Files.readString(input);
        return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }
}
