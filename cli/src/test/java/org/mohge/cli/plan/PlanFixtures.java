package org.mohge.cli.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small sweep files over the tiny validate-mohge-small scenario, written into a test's folder. */
public final class PlanFixtures {
    static final Path SMALL = Path.of("..", "scenarios", "examples", "validate-mohge-small.json").toAbsolutePath()
            .normalize();

    private PlanFixtures() {
    }

    /** A sweep with the given axes, target and prices (JSON fragments), over the small scenario. */
    public static Path sweep(Path dir, String axes, String target, String prices) throws IOException {
        Path file = dir.resolve("sweep.json");
        Files.writeString(file, "{\"name\": \"tiny\", \"base\": \"" + SMALL.toString().replace("\\", "\\\\")
                + "\", \"fidelity\": \"aggregate\", \"axes\": " + axes + ", \"target\": " + target
                + ", \"pricePerGpuHour\": " + prices + "}");
        return file;
    }

    /** Twelve points: two GPU types, two and four GPUs per node, three placements. */
    public static Path tinySweep(Path dir) throws IOException {
        return sweep(dir, "{\"gpu\": [\"h100-sxm\", \"b200\"], \"gpusPerNode\": [2, 4], "
                        + "\"placement\": [\"contiguous\", \"group-decoupled\", \"greedy\"]}",
                "{\"minTokensPerSecond\": 1000, \"minMemoryHeadroomPct\": 5}",
                "{\"h100-sxm\": 2.5, \"b200\": 5.5}");
    }
}
