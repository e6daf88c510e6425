package org.mohge.cli.plan.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;
import org.mohge.cli.plan.PlanFixtures;

/** The Spark engine in local mode gives the local engine's results, byte for byte. */
class PlanSparkEngineTest {
    @TempDir
    Path dir;

    @Test
    void sparkLocalModeEqualsTheLocalEngine() throws Exception {
        assertSparkLocalEqualsLocal(PlanFixtures.tinySweep(dir), "");
    }

    @Test
    void servingPlanOnSparkLocalModeEqualsTheLocalEngine() throws Exception {
        assertSparkLocalEqualsLocal(org.mohge.cli.serve.ServingPlanFixtures.smallPlan(dir), "serving-");
    }

    /** The plan on spark local[2] prints and writes the same bytes as on 2 local threads. */
    private void assertSparkLocalEqualsLocal(Path sweep, String prefix) throws Exception {
        Path local = dir.resolve(prefix + "local");
        Path spark = dir.resolve(prefix + "spark");
        CliRunner l = CliRunner.run("plan", sweep.toString(), "--out", local.toString(), "--threads", "2", "--json");
        assertThat(l.exitCode()).as(l.err()).isZero();
        CliRunner s = CliRunner.run("plan", sweep.toString(), "--out", spark.toString(), "--engine", "spark",
                "--master", "local[2]", "--json");
        assertThat(s.exitCode()).as(s.err()).isZero();
        assertThat(s.err()).contains("on spark local[2]");
        assertThat(s.out()).isEqualTo(l.out());
        for (String f : new String[] {"results.json", "results.csv", "points.jsonl"}) {
            assertThat(Files.readAllBytes(spark.resolve(f))).as(f).isEqualTo(Files.readAllBytes(local.resolve(f)));
        }
    }
}
