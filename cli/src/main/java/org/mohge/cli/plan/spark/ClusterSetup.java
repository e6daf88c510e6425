package org.mohge.cli.plan.spark;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.mohge.cli.scenario.ScenarioException;

/**
 * What the driver checks and sets up before it starts a SparkContext for a cluster master: whether
 * a standalone master answers at all, and which jars the executors must be sent (the application's
 * own, not Spark's, which the cluster has). No Spark classes here, so it is testable on its own.
 */
final class ClusterSetup {
    /**
     * Jars that a Spark installation brings itself (its jars/ folder): shipping ours as well would
     * add a second SLF4J binding and a second Jackson next to Spark's on every executor.
     */
    static final Pattern PROVIDED_BY_SPARK = Pattern.compile(
            "(spark-|scala-|hadoop-|jackson-|log4j-|slf4j-|jul-to-slf4j-|jcl-over-slf4j-).*\\.jar");

    private ClusterSetup() {
    }

    /** {@code local}, {@code local[4]}, {@code local[*,2]}, {@code local-cluster[...]}: Spark in this JVM. */
    static boolean isLocal(String master) {
        return master.equals("local") || master.startsWith("local[") || master.startsWith("local-cluster[");
    }

    /**
     * The jars to list in {@code spark.jars}: the jar holding the mohge classes, then every other
     * jar of this JVM's class path that is not in Spark's own jar folder and not a library a Spark
     * installation provides, in class-path order, without repeats.
     *
     * @param classPath this JVM's class path entries ({@code java.class.path}, wildcards already expanded)
     * @param appJar where the mohge classes were loaded from: must be a jar, not a class folder
     * @param sparkJarDir the folder of the jar Spark was loaded from (null: unknown)
     */
    static List<Path> applicationJars(String master, List<Path> classPath, Path appJar, Path sparkJarDir) {
        if (!Files.isRegularFile(appJar) || !appJar.getFileName().toString().endsWith(".jar")) {
            throw new ScenarioException("--master " + master + ": the executors need the application's jars, but the "
                    + "mohge classes come from the folder " + appJar + "; run the packaged CLI (./mohge) or spark-submit");
        }
        Set<Path> jars = new LinkedHashSet<>();
        jars.add(appJar.toAbsolutePath().normalize());
        Path sparkDir = sparkJarDir == null ? null : sparkJarDir.toAbsolutePath().normalize();
        for (Path entry : classPath) {
            Path p = entry.toAbsolutePath().normalize();
            String name = p.getFileName() == null ? "" : p.getFileName().toString();
            if (!name.endsWith(".jar") || !Files.isRegularFile(p) || PROVIDED_BY_SPARK.matcher(name).matches()
                    || (sparkDir != null && sparkDir.equals(p.getParent()))) {
                continue;
            }
            jars.add(p);
        }
        return List.copyOf(jars);
    }

    /** This JVM's class path as paths. */
    static List<Path> classPath() {
        String cp = System.getProperty("java.class.path", "");
        List<Path> out = new ArrayList<>();
        for (String e : cp.split(Pattern.quote(File.pathSeparator))) {
            if (!e.isBlank()) {
                out.add(Path.of(e));
            }
        }
        return out;
    }

    /** Where a class was loaded from (a jar or a class folder), or null when that is not a local file. */
    static Path codeSource(Class<?> type) {
        try {
            var source = type.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }

    /** A standalone master's {@code host:port} addresses ({@code spark://h1:7077,h2:7077} for standby masters). */
    static List<InetSocketAddress> masterAddresses(String master) {
        if (!master.startsWith("spark://")) {
            return List.of();
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (String hostPort : Arrays.asList(master.substring("spark://".length()).split(","))) {
            int colon = hostPort.lastIndexOf(':');
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(hostPort.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (port < 1 || port > 65535) {
                throw new ScenarioException("--master must be spark://HOST:PORT[,HOST:PORT...], got '" + master + "'");
            }
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            out.add(InetSocketAddress.createUnresolved(host, port));
        }
        return out;
    }

    /**
     * Fails with one line (exit 2) unless some master of a {@code spark://} URL accepts a TCP
     * connection within {@code timeoutMs}; other masters are not probed.
     */
    static void requireReachable(String master, int timeoutMs) {
        List<InetSocketAddress> addresses = masterAddresses(master);
        if (addresses.isEmpty()) {
            return;
        }
        List<String> failures = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            InetSocketAddress resolved = new InetSocketAddress(a.getHostString(), a.getPort());
            if (resolved.isUnresolved()) {
                failures.add(a.getHostString() + ": unknown host");
                continue;
            }
            try (Socket s = new Socket()) {
                s.connect(resolved, timeoutMs);
                return;
            } catch (IOException e) {
                failures.add(a.getHostString() + ":" + a.getPort() + ": "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        throw new ScenarioException("--master " + master + ": no Spark master answers within " + timeoutMs
                + " ms (" + String.join("; ", failures) + ")");
    }
}
