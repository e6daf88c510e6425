package org.mohge.cli.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;

/** {@code mohge plan} end to end on a twelve-point sweep of a tiny model. */
class PlanCommandTest {
    @TempDir
    Path dir;

    @Test
    void jsonDocumentHasOneEntryPerPointAndTheBestDesignAndTheReportIsWritten() throws Exception {
        Path sweep = PlanFixtures.tinySweep(dir);
        Path out = dir.resolve("report");
        CliRunner r = CliRunner.run("plan", sweep.toString(), "--out", out.toString(), "--json", "--threads", "2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.has("points")).isTrue();
        assertThat(doc.has("best")).isTrue();
        assertThat(doc.has("bestReason")).isTrue();
        assertThat(doc.get("points").size()).isEqualTo(12);
        assertThat(doc.get("pointCount").asInt()).isEqualTo(12);
        JsonNode first = doc.get("points").get(0);
        for (String key : List.of("id", "label", "gpu", "gpus", "placement", "status", "costPerHour",
                "tokensPerSecond", "stepTimeMs", "imbalance", "memoryHeadroomPct", "meetsTarget", "pareto")) {
            assertThat(first.has(key)).as(key).isTrue();
        }
        // p0001: 2 h100-sxm at 2.5 per GPU-hour
        assertThat(first.get("costPerHour").asDouble()).isEqualTo(5.0);
        // the tiny model reaches the 1000 tokens/s target everywhere: the best is one of the cheapest
        // (2 x h100-sxm, points p0001-p0003), the fastest of them
        JsonNode best = doc.get("best");
        assertThat(best.get("costPerHour").asDouble()).isEqualTo(5.0);
        assertThat(best.get("id").asText()).isIn("p0001", "p0002", "p0003");
        double bestSpeed = best.get("tokensPerSecond").asDouble();
        for (int i = 0; i < 3; i++) {
            assertThat(doc.get("points").get(i).get("tokensPerSecond").asDouble()).isLessThanOrEqualTo(bestSpeed);
        }
        for (String f : List.of("index.html", "results.json", "results.csv", "points.jsonl", "pareto.png",
                "scaling.png", "imbalance.png")) {
            assertThat(out.resolve(f)).as(f).isNotEmptyFile();
        }
        assertThat(Files.readString(out.resolve("results.json")).strip()).isEqualTo(r.out().strip());
        assertThat(Files.readAllLines(out.resolve("results.csv"))).hasSize(13);
        assertThat(Files.readAllLines(out.resolve("points.jsonl"))).hasSize(12);
        assertThat(Files.readString(out.resolve("index.html"))).contains("Best: " + best.get("id").asText());
        assertThat(r.err()).contains("[plan] 12 points (0 from", "12/12 points");
    }

    @Test
    void noDesignMeetingTheTargetGivesANullBestWithAReason() throws Exception {
        Path sweep = PlanFixtures.sweep(dir, "{\"placement\": [\"contiguous\"]}", "{\"maxStepTimeMs\": 0.000001}",
                "{\"h100-sxm\": 2.5}");
        CliRunner r = CliRunner.run("plan", sweep.toString(), "--out", dir.resolve("o").toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.get("best").isNull()).isTrue();
        assertThat(doc.get("bestReason").asText()).startsWith("none of the 1 fitting point(s) meets step time <= "
                + "0.000001 ms");
        // A step-time target is answered with the shortest step, read back from the point itself.
        double stepMs = doc.get("points").get(0).get("stepTimeMs").asDouble();
        assertThat(doc.get("bestReason").asText()).endsWith("; the shortest step takes "
                + String.format(java.util.Locale.ROOT, "%.1f", stepMs) + " ms");
    }

    @Test
    void interruptedRunResumesFromPointsJsonlAndGivesTheSameBytes() throws Exception {
        Path sweep = PlanFixtures.tinySweep(dir);
        Path out = dir.resolve("report");
        CliRunner first = CliRunner.run("plan", sweep.toString(), "--out", out.toString(), "--threads", "2");
        assertThat(first.exitCode()).as(first.err()).isZero();
        byte[] json = Files.readAllBytes(out.resolve("results.json"));
        byte[] csv = Files.readAllBytes(out.resolve("results.csv"));
        byte[] lines = Files.readAllBytes(out.resolve("points.jsonl"));

        // an interrupted run: five complete lines, then half a line
        List<String> all = Files.readAllLines(out.resolve("points.jsonl"));
        List<String> prefix = new ArrayList<>(all.subList(0, 5));
        String truncated = String.join("\n", prefix) + "\n" + all.get(5).substring(0, all.get(5).length() / 2);
        Files.writeString(out.resolve("points.jsonl"), truncated);
        CliRunner second = CliRunner.run("plan", sweep.toString(), "--out", out.toString(), "--threads", "1");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.err()).contains("12 points (5 from", "7 to evaluate");
        assertThat(Files.readAllBytes(out.resolve("results.json"))).isEqualTo(json);
        assertThat(Files.readAllBytes(out.resolve("results.csv"))).isEqualTo(csv);
        assertThat(Files.readAllBytes(out.resolve("points.jsonl"))).isEqualTo(lines);

        // a complete resume file: nothing to evaluate; --fresh evaluates everything again, same bytes
        CliRunner third = CliRunner.run("plan", sweep.toString(), "--out", out.toString());
        assertThat(third.err()).contains("12 points (12 from", "0 to evaluate");
        CliRunner fresh = CliRunner.run("plan", sweep.toString(), "--out", out.toString(), "--fresh");
        assertThat(fresh.err()).contains("12 points (0 from");
        assertThat(Files.readAllBytes(out.resolve("results.json"))).isEqualTo(json);
    }

    @Test
    void anEditedFileTheBaseNamesInvalidatesTheResume() throws Exception {
        // The base places with a map file; after the map changes, no finished point is reused.
        Path map = dir.resolve("p.json");
        assertThat(CliRunner.run("place", PlanFixtures.SMALL.toString(), "--strategies", "greedy", "--out",
                map.toString()).exitCode()).isZero();
        Path base = dir.resolve("base.json");
        Files.writeString(base, Files.readString(PlanFixtures.SMALL).replace("\"use\": \"contiguous\"",
                "\"use\": \"p.json\""));
        Path sweep = dir.resolve("sweep.json");
        Files.writeString(sweep, "{\"name\": \"tiny\", \"base\": \"base.json\", \"fidelity\": \"aggregate\", "
                + "\"axes\": {\"gpu\": [\"h100-sxm\", \"b200\"]}, \"target\": {\"minTokensPerSecond\": 1000}, "
                + "\"pricePerGpuHour\": {\"h100-sxm\": 2.5, \"b200\": 5.5}}");
        Path out = dir.resolve("report");
        CliRunner first = CliRunner.run("plan", sweep.toString(), "--out", out.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(CliRunner.run("plan", sweep.toString(), "--out", out.toString()).err())
                .contains("2 points (2 from");
        assertThat(CliRunner.run("place", PlanFixtures.SMALL.toString(), "--strategies", "contiguous", "--out",
                map.toString()).exitCode()).isZero();
        assertThat(CliRunner.run("plan", sweep.toString(), "--out", out.toString()).err())
                .contains("2 points (0 from");
    }

    @Test
    void resumeLinesOfAnotherSweepAreIgnored() throws Exception {
        Path out = dir.resolve("report");
        Path sweep = PlanFixtures.tinySweep(dir);
        assertThat(CliRunner.run("plan", sweep.toString(), "--out", out.toString()).exitCode()).isZero();
        byte[] json = Files.readAllBytes(out.resolve("results.json"));
        // same ids, different values: b200 first instead of h100-sxm
        Path otherDir = Files.createDirectories(dir.resolve("other"));
        Path other = PlanFixtures.sweep(otherDir,
                "{\"gpu\": [\"b200\", \"h100-sxm\"], \"gpusPerNode\": [2, 4], "
                        + "\"placement\": [\"contiguous\", \"group-decoupled\", \"greedy\"]}",
                "{\"minTokensPerSecond\": 1000, \"minMemoryHeadroomPct\": 5}", "{\"h100-sxm\": 2.5, \"b200\": 5.5}");
        CliRunner r = CliRunner.run("plan", other.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("12 points (0 from");
        assertThat(Files.readAllBytes(out.resolve("results.json"))).isNotEqualTo(json);

        // same points, other shared inputs (routing fidelity): the lines no longer count either
        assertThat(CliRunner.run("plan", other.toString(), "--out", out.toString()).err())
                .contains("12 points (12 from");
        Files.writeString(other, Files.readString(other).replace("\"aggregate\"", "\"exact\""));
        CliRunner exact = CliRunner.run("plan", other.toString(), "--out", out.toString());
        assertThat(exact.exitCode()).as(exact.err()).isZero();
        assertThat(exact.err()).contains("12 points (0 from");
    }

    @Test
    void textOutputListsTheFrontAndTheBest() throws Exception {
        Path sweep = PlanFixtures.tinySweep(dir);
        CliRunner r = CliRunner.run("plan", sweep.toString(), "--out", dir.resolve("t").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Capacity plan tiny: 12 points, 12 fit", "Pareto front", "best: p000",
                "wrote " + dir.resolve("t").resolve("index.html"));
    }
}
