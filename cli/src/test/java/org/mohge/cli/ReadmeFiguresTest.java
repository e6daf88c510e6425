package org.mohge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's deterministic figures reproduce: every example block that starts with
 * {@code $ ./mohge ...} is run again and its printed lines must appear in the output, chunk by
 * chunk ({@code ...} lines mark what the README leaves out), and the study table's rows must match
 * what the study computes. Examples whose figures depend on timing (calibrate, validate, a search
 * bounded by {@code --seconds}) are stated as ranges in the README and skipped here.
 */
class ReadmeFiguresTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern WROTE = Pattern.compile("wrote out/([^/\\s]+)/index\\.html");

    @TempDir
    Path dir;

    /** One example: the command's arguments and the lines the README shows, split at "..." lines. */
    record Example(int line, List<String> args, List<List<String>> chunks) {
    }

    static List<Example> examples() throws IOException {
        List<String> lines = Files.readAllLines(README);
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).equals("```") || i + 1 >= lines.size() || !lines.get(i + 1).startsWith("$ ./mohge ")) {
                continue;
            }
            int start = i + 1;
            int end = start;
            while (!lines.get(end).equals("```")) {
                end++;
            }
            List<String> body = lines.subList(start, end);
            i = end;
            if (body.stream().filter(l -> l.startsWith("$ ")).count() != 1) {
                continue; // a sequence of commands (calibrate, then validate): timing-based
            }
            String command = body.get(0).substring("$ ./mohge ".length());
            if (command.startsWith("calibrate") || command.startsWith("validate") || command.contains("--seconds")
                    || command.startsWith("bench")) {
                continue;
            }
            List<List<String>> chunks = new ArrayList<>();
            List<String> chunk = new ArrayList<>();
            for (String l : body.subList(1, body.size())) {
                if (l.startsWith("...")) {
                    chunks.add(chunk);
                    chunk = new ArrayList<>();
                } else {
                    chunk.add(l);
                }
            }
            chunks.add(chunk);
            chunks.removeIf(List::isEmpty);
            List<String> args = new ArrayList<>();
            for (String a : command.split(" +")) {
                args.add(a.startsWith("scenarios/") ? "../" + a : a);
            }
            examples.add(new Example(start + 1, args, chunks));
        }
        return examples;
    }

    @TestFactory
    Stream<DynamicTest> everyDeterministicExampleReproduces() throws IOException {
        List<Example> examples = examples();
        assertThat(examples).as("README examples found").hasSizeGreaterThanOrEqualTo(4);
        return examples.stream().map(e -> DynamicTest.dynamicTest("README line " + e.line() + ": mohge "
                + String.join(" ", e.args()), () -> reproduce(e)));
    }

    private void reproduce(Example e) {
        List<String> args = new ArrayList<>(e.args());
        String expectedAll = String.join("\n", e.chunks().stream().flatMap(List::stream).toList());
        Matcher wrote = WROTE.matcher(expectedAll);
        Path out = null;
        if (wrote.find()) {
            // Reports go to a temporary folder, shown as the README's out/NAME.
            out = dir.resolve(wrote.group(1));
            args.addAll(List.of("--out", out.toString()));
        } else if (args.get(0).equals("plan") || args.get(0).equals("study")) {
            // A block that leaves the report line out still writes one: into the temporary folder,
            // never into the module's out/, where a later run would resume stale points.
            args.addAll(List.of("--out", dir.resolve("example-" + e.line()).toString()));
        }
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        String output = r.out();
        if (out != null) {
            output = output.replace(out.toString(), "out/" + out.getFileName());
        }
        // Paths print as given: the test's ../scenarios is the README's scenarios.
        output = output.replace("../scenarios/", "scenarios/");
        List<String> actual = comparable(output.lines().toList());
        int from = 0;
        for (List<String> chunk : e.chunks()) {
            int at = indexOf(actual, comparable(chunk), from);
            assertThat(at).as("README line %d: these lines, in order, in the output:%n%s%n--- output ---%n%s",
                    e.line(), String.join("\n", chunk), output).isNotNegative();
            from = at + chunk.size();
        }
    }

    /**
     * Lines as compared: trailing blanks dropped, and in a placement table the {@code solve s}
     * column (a CPU time, the one timing in an otherwise deterministic table) masked.
     */
    static List<String> comparable(List<String> lines) {
        List<String> out = new ArrayList<>();
        boolean timedTable = false;
        for (String line : lines) {
            String l = line.stripTrailing();
            if (l.contains("solve s") && l.contains("gap to bound")) {
                timedTable = true;
            } else if (l.isBlank() || l.startsWith("best:")) {
                timedTable = false;
            } else if (timedTable && !l.startsWith("-")) {
                String[] tokens = l.trim().split(" +");
                tokens[tokens.length - 2] = "*";
                l = String.join(" ", tokens);
            }
            out.add(l);
        }
        return out;
    }

    private static int indexOf(List<String> haystack, List<String> needle, int from) {
        for (int i = from; i + needle.size() <= haystack.size(); i++) {
            if (haystack.subList(i, i + needle.size()).equals(needle)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void studyTableOfThePaperClaimsReproduces() throws IOException {
        List<String> readme = Files.readAllLines(README);
        int header = readme.indexOf("| design | total params | activated (as routed) | tokens/s | imbalance (max/mean) |");
        assertThat(header).as("the study table in README.md").isNotNegative();
        List<String> rows = new ArrayList<>();
        for (int i = header + 2; i < readme.size() && readme.get(i).startsWith("|"); i++) {
            rows.add(readme.get(i));
        }
        Path out = dir.resolve("paper-claims");
        CliRunner r = CliRunner.run("study", "../scenarios/paper/study-paper-claims.json", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode designs = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("designs");
        List<String> computed = new ArrayList<>();
        for (JsonNode d : designs) {
            computed.add(String.format(Locale.ROOT, "| %s | %.3fB | %.3fB | %,.0f | %.3f |", d.get("label").asText(),
                    d.get("totalParams").asDouble() / 1e9, d.get("activatedParamsRouted").asDouble() / 1e9,
                    d.get("tokensPerSecond").asDouble(), d.get("imbalance").asDouble()));
        }
        assertThat(rows).isEqualTo(computed);
    }
}
