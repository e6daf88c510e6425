package org.mohge.gpu.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed PTX/fatbin resources are built from the current kernel sources, by a CUDA 13.0-compatible nvcc. */
class KernelResourcesTest {
    private static final Path CUDA_DIR = Path.of("src/main/cuda");
    private static final Path RESOURCES = Path.of("src/main/resources/org/mohge/gpu/cuda");

    @Test
    void recordedSourceHashesMatchTheSources() throws IOException, NoSuchAlgorithmException {
        List<String> recorded = new ArrayList<>();
        for (String line : Files.readAllLines(RESOURCES.resolve("kernels.sha256"))) {
            if (line.matches("[0-9a-f]{64}  .*")) {
                recorded.add(line);
            }
        }
        List<String> actual = new ArrayList<>();
        try (Stream<Path> files = Files.list(CUDA_DIR)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".cu") || f.toString().endsWith(".cuh")).sorted().toList()) {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                actual.add(HexFormat.of().formatHex(hash) + "  " + p.getFileName());
            }
        }
        assertThat(actual).as("kernel sources changed since the resources were built: run src/main/cuda/build.sh")
                .isNotEmpty().isEqualTo(recorded);
    }

    @Test
    void ptxTargetsCompute80WithAnIsaACuda13DriverLoadsAndHasEveryKernel() throws IOException {
        String ptx = Files.readString(RESOURCES.resolve("mohge_kernels.ptx"), StandardCharsets.US_ASCII);
        assertThat(ptx).contains(".target sm_80");
        Matcher m = Pattern.compile("\\.version (\\d+)\\.(\\d+)").matcher(ptx);
        assertThat(m.find()).isTrue();
        int version = Integer.parseInt(m.group(1)) * 10 + Integer.parseInt(m.group(2));
        assertThat(version).as("PTX ISA 9.0 is CUDA 13.0's; newer PTX does not load on a 13.0 driver").isLessThanOrEqualTo(90);
        for (String kernel : CudaLayerBackend.KERNELS) {
            assertThat(ptx).contains(".entry " + kernel + "(");
        }
        assertThat(Files.size(RESOURCES.resolve("mohge_kernels.fatbin"))).isGreaterThan(1000);
        assertThat(CudaLayerBackend.class.getResource(CudaLayerBackend.RESOURCE_DIR + "mohge_kernels.ptx")).isNotNull();
    }

    @Test
    void hostSignaturesMatchTheKernelParametersInThePtx() throws IOException {
        String ptx = Files.readString(RESOURCES.resolve("mohge_kernels.ptx"), StandardCharsets.US_ASCII);
        Matcher entry = Pattern.compile("\\.entry (\\w+)\\(([^)]*)\\)").matcher(ptx);
        java.util.Map<String, String> found = new java.util.TreeMap<>();
        while (entry.find()) {
            StringBuilder kinds = new StringBuilder();
            Matcher param = Pattern.compile("\\.param \\.(u64|u32|s32|f32)").matcher(entry.group(2));
            while (param.find()) {
                kinds.append(param.group(1).equals("u64") ? "8" : "4");
            }
            found.put(entry.group(1), kinds.toString());
        }
        java.util.Map<String, String> expected = new java.util.TreeMap<>();
        CudaLayerBackend.SIGNATURES.forEach((k, v) -> expected.put(k, v.replace('p', '8').replace('l', '8').replace('i', '4')));
        assertThat(found).isEqualTo(expected);
    }

    @Test
    void rebuildingWithNvccGivesTheCommittedPtx(@TempDir Path out) throws Exception {
        assumeTrue(onPath("nvcc"), "nvcc is not on the PATH");
        Process p = new ProcessBuilder("bash", CUDA_DIR.resolve("build.sh").toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        String recordedNvcc = nvccLine(RESOURCES.resolve("kernels.sha256"));
        assumeTrue(recordedNvcc.equals(nvccLine(out.resolve("kernels.sha256"))),
                "the resources were built by another nvcc (" + recordedNvcc + ")");
        assertThat(Files.readAllBytes(out.resolve("mohge_kernels.ptx")))
                .as("committed PTX differs from a fresh build: run src/main/cuda/build.sh")
                .isEqualTo(Files.readAllBytes(RESOURCES.resolve("mohge_kernels.ptx")));
        assertThat(Files.readAllLines(out.resolve("kernels.sha256")))
                .isEqualTo(Files.readAllLines(RESOURCES.resolve("kernels.sha256")));
    }

    private static String nvccLine(Path sums) throws IOException {
        return Files.readAllLines(sums).stream().filter(l -> l.startsWith("nvcc:")).findFirst().orElse("");
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
