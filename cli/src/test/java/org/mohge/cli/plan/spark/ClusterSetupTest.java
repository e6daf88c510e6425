package org.mohge.cli.plan.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mohge.cli.CliRunner;
import org.mohge.cli.plan.PlanFixtures;
import org.mohge.cli.scenario.ScenarioException;

/** What the driver sends to a cluster's executors, and how it treats a master that is not there. */
class ClusterSetupTest {
    @TempDir
    Path dir;

    private Path file(String relative) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        return Files.write(p, new byte[] {1});
    }

    @Test
    void shipsTheAppJarAndItsLibrariesButNotSparksOwn() throws IOException {
        Path app = file("cli/target/mohge-cli.jar");
        Path picocli = file("cli/target/lib/picocli-4.7.7.jar");
        Path sim = file("cli/target/lib/mohge-sim-0.1.0-SNAPSHOT.jar");
        Path jackson = file("cli/target/lib/jackson-databind-2.21.3.jar");
        Path slf4jSimple = file("cli/target/lib/slf4j-simple-2.0.17.jar");
        Path sparkCore = file("cli/target/spark-lib/spark-core_2.13-4.1.1.jar");
        Path guava = file("cli/target/spark-lib/guava-32.0.0-jre.jar");
        Path classes = Files.createDirectories(dir.resolve("cli/target/classes"));
        Path missing = dir.resolve("cli/target/lib/gone-1.0.jar");

        List<Path> jars = ClusterSetup.applicationJars("spark://h:7077",
                List.of(app, picocli, classes, jackson, sim, slf4jSimple, sparkCore, guava, missing, picocli), app,
                sparkCore.getParent());

        // In class-path order, each once; Jackson and SLF4J come with Spark, guava sits in Spark's folder.
        assertThat(jars).containsExactly(app, picocli, sim);
    }

    @Test
    void theAppJarComesFirstEvenWhenTheClassPathListsItLater() throws IOException {
        Path app = file("a/mohge-cli.jar");
        Path lib = file("a/lib/commons-math3-3.6.1.jar");
        assertThat(ClusterSetup.applicationJars("yarn", List.of(lib, app), app, null)).containsExactly(app, lib);
    }

    @Test
    void classesFromAFolderCannotBeShipped() throws IOException {
        Path classes = Files.createDirectories(dir.resolve("target/classes"));
        assertThatThrownBy(() -> ClusterSetup.applicationJars("spark://h:7077", List.of(classes), classes, null))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("--master spark://h:7077")
                .hasMessageContaining("run the packaged CLI");
    }

    @Test
    void localMastersRunInThisJvm() {
        assertThat(ClusterSetup.isLocal("local")).isTrue();
        assertThat(ClusterSetup.isLocal("local[*]")).isTrue();
        assertThat(ClusterSetup.isLocal("local[2,3]")).isTrue();
        assertThat(ClusterSetup.isLocal("local-cluster[2,1,1024]")).isTrue();
        assertThat(ClusterSetup.isLocal("spark://localhost:7077")).isFalse();
        assertThat(ClusterSetup.isLocal("yarn")).isFalse();
        assertThat(ClusterSetup.isLocal("k8s://https://api:6443")).isFalse();
    }

    @Test
    void standaloneMasterUrlsWithStandbyMasters() {
        assertThat(ClusterSetup.masterAddresses("spark://10.0.0.1:7077,10.0.0.2:7078"))
                .extracting(InetSocketAddress::getHostString, InetSocketAddress::getPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("10.0.0.1", 7077),
                        org.assertj.core.groups.Tuple.tuple("10.0.0.2", 7078));
        assertThat(ClusterSetup.masterAddresses("spark://[::1]:7077"))
                .extracting(InetSocketAddress::getHostString).containsExactly("::1");
        assertThat(ClusterSetup.masterAddresses("yarn")).isEmpty();
        for (String bad : new String[] {"spark://host", "spark://host:x", "spark://host:0", "spark://:7077"}) {
            assertThatThrownBy(() -> ClusterSetup.masterAddresses(bad)).as(bad)
                    .isInstanceOf(ScenarioException.class).hasMessageContaining("spark://HOST:PORT");
        }
    }

    /** A loopback port that was free a moment ago: nothing listens there. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aMasterThatListensIsReachable() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int closed = closedPort();
            // The first master is down, the standby answers: good enough to start.
            ClusterSetup.requireReachable("spark://127.0.0.1:" + closed + ",127.0.0.1:" + s.getLocalPort(), 2000);
        }
    }

    @Test
    void anUnreachableMasterIsOneLineAndExitCode2() throws IOException {
        Path sweep = PlanFixtures.tinySweep(dir);
        String master = "spark://127.0.0.1:" + closedPort();
        CliRunner r = CliRunner.run("plan", sweep.toString(), "--out", dir.resolve("out").toString(), "--engine",
                "spark", "--master", master);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines().toList()).singleElement().asString()
                .startsWith("--master " + master + ": no Spark master answers within 5000 ms");
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
