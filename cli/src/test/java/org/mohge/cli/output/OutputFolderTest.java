package org.mohge.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output-folder rule: replace only what the tool wrote (or an empty folder), never anything else. */
class OutputFolderTest {
    private static final OutputFolder.Origin CLI = new OutputFolder.Origin.CommandLine();

    @TempDir
    Path dir;

    private static void writeIndex(OutputFolder folder, String text) throws IOException {
        folder.replaceWith(f -> Files.writeString(f.resolve("index.html"), text));
    }

    private static long entries(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }

    @Test
    void writesANewFolderWithItsMarkerAndReplacesItOnTheNextRun() throws IOException {
        Path out = dir.resolve("report");
        writeIndex(OutputFolder.claim(out, CLI), "first");
        assertThat(out.resolve(OutputFolder.MARKER)).exists();
        writeIndex(OutputFolder.claim(out, CLI), "second");
        assertThat(out.resolve("index.html")).hasContent("second");
        assertThat(entries(dir)).as("no staging or old folder left beside it").isEqualTo(1);
    }

    @Test
    void anEmptyFolderIsTakenOver() throws IOException {
        Path out = Files.createDirectory(dir.resolve("empty"));
        writeIndex(OutputFolder.claim(out, CLI), "x");
        assertThat(out.resolve("index.html")).hasContent("x");
    }

    @Test
    void aFolderTheToolDidNotWriteIsRefusedAndKept() throws IOException {
        Path out = Files.createDirectory(dir.resolve("project"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> OutputFolder.claim(out, CLI)).isInstanceOf(OutputPathException.class)
                .hasMessage(out + ": folder exists, is not empty and was not written by mohge (no .mohge-output "
                        + "file in it); name a new or empty folder");
        assertThat(out.resolve("notes.txt")).hasContent("mine");
    }

    @Test
    void aParentOfReportsIsRefusedSoSiblingReportsSurvive() throws IOException {
        Path parent = dir.resolve("out");
        writeIndex(OutputFolder.claim(parent.resolve("a"), CLI), "report a");
        assertThatThrownBy(() -> OutputFolder.claim(parent, CLI)).isInstanceOf(OutputPathException.class);
        assertThat(parent.resolve("a").resolve("index.html")).hasContent("report a");
    }

    @Test
    void aFileIsNeverReplacedByAFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("data.csv"), "1,2");
        assertThatThrownBy(() -> OutputFolder.claim(file, CLI)).hasMessageContaining("exists and is not a folder");
        assertThatThrownBy(() -> OutputFolder.claim(file.resolve("sub"), CLI))
                .hasMessageContaining("data.csv is a file, not a folder");
        assertThat(file).hasContent("1,2");
    }

    @Test
    void theWorkingFolderAndItsAncestorsAreRefused() {
        for (String p : new String[] {".", "..", "", Path.of("").toAbsolutePath().getRoot().toString()}) {
            assertThatThrownBy(() -> OutputFolder.claim(Path.of(p), CLI)).as(p)
                    .hasMessageContaining("will not write a report over the working folder");
        }
    }

    @Test
    void anInputFileMayNotSendOutputOutsideItsFolderOrTheWorkingFolder() throws IOException {
        Path home = Files.createDirectory(dir.resolve("scenarios"));
        Path scenario = Files.writeString(home.resolve("s.json"), "{}");
        Path victim = Files.createDirectory(dir.resolve("victim"));
        OutputFolder.Origin fromFile = new OutputFolder.Origin.InputFile(scenario, "output.dir");
        assertThatThrownBy(() -> OutputFolder.claim(home.resolve("../victim"), fromFile))
                .hasMessageStartingWith(scenario + ": output.dir must name a folder inside " + home);
        assertThat(victim).isEmptyDirectory();
        assertThat(OutputFolder.claim(home.resolve("reports/x"), fromFile).path()).isEqualTo(home.resolve("reports/x"));
    }

    @Test
    void aFailedWriteLeavesThePreviousFolderIntactAndNoStagingBehind() throws IOException {
        Path out = dir.resolve("report");
        writeIndex(OutputFolder.claim(out, CLI), "first");
        assertThatThrownBy(() -> OutputFolder.claim(out, CLI).replaceWith(f -> {
            Files.writeString(f.resolve("index.html"), "half");
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(out.resolve("index.html")).hasContent("first");
        assertThat(entries(dir)).isEqualTo(1);
    }

    @Test
    void stagingFoldersOfAnInterruptedRunAreRemovedByTheNextRun() throws Exception {
        Path out = dir.resolve("report");
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        long deadPid = ended.pid();
        Path leftover = markedFolder(".report.tmp-" + deadPid + "-1");
        Path oldLeftover = markedFolder(".report.old-" + deadPid + "-2");
        Path notOurs = Files.createDirectory(dir.resolve(".report.tmp-notes"));
        Path inFlight = markedFolder(".report.tmp-" + ProcessHandle.current().pid() + "-99");
        Path otherTarget = markedFolder(".report.tmp-x.tmp-" + deadPid + "-3");
        OutputFolder.claim(out, CLI);
        assertThat(leftover).doesNotExist();
        assertThat(oldLeftover).doesNotExist();
        assertThat(notOurs).as("a look-alike without the marker is not the tool's").exists();
        assertThat(inFlight).as("a live process's staging folder is its run in flight").exists();
        assertThat(otherTarget).as("the staging folder of target 'report.tmp-x', not of 'report'").exists();
    }

    private Path markedFolder(String name) throws IOException {
        Path folder = Files.createDirectory(dir.resolve(name));
        Files.writeString(folder.resolve(OutputFolder.MARKER), "");
        Files.writeString(folder.resolve("index.html"), "half");
        return folder;
    }

    @Test
    void permissionsFollowTheUmaskLikeAnyFolderThisProcessCreates() throws IOException {
        Path out = dir.resolve("report");
        writeIndex(OutputFolder.claim(out, CLI), "x");
        Path plainDir = Files.createDirectory(dir.resolve("plain"));
        Path plainFile = Files.writeString(dir.resolve("plain.txt"), "x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
                .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(plainDir)));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("index.html"))))
                .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(plainFile)));
    }

    @Test
    void outputFilesRefuseFoldersAndSpecialFiles() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("d"));
        assertThatThrownBy(() -> AtomicFiles.writeString(folder, "x")).hasMessage(folder + ": is a folder; name a file");
        Path file = Files.writeString(dir.resolve("f.json"), "old");
        AtomicFiles.writeString(file, "new");
        assertThat(file).hasContent("new");
        assertThat(entries(dir)).isEqualTo(2);
        assertThatThrownBy(() -> AtomicFiles.check(file.resolve("x.json"))).hasMessageContaining("is a file, not a folder");
    }

    @Test
    void aFileAUserAddedBesideAReportStopsTheNextRunAndIsKept() throws IOException {
        Path out = dir.resolve("report");
        OutputFolder first = OutputFolder.claim(out, CLI);
        first.replaceWith(f -> {
            Files.writeString(f.resolve("index.html"), "first");
            Files.createDirectory(f.resolve("figures"));
            Files.writeString(f.resolve("figures").resolve("a.png"), "png");
        });
        Files.writeString(out.resolve("my-notes.md"), "mine");
        Files.createDirectory(out.resolve("mydata"));
        Files.writeString(out.resolve("mydata").resolve("a.csv"), "1");
        // Sorted: my-notes.md, mydata, mydata/a.csv.
        assertThatThrownBy(() -> OutputFolder.claim(out, CLI)).isInstanceOf(OutputPathException.class)
                .hasMessage(out + ": holds my-notes.md and 2 more, which mohge did not write; move it out of the "
                        + "report folder or name another folder");
        assertThat(out.resolve("my-notes.md")).hasContent("mine");
        assertThat(out.resolve("mydata").resolve("a.csv")).hasContent("1");
        Files.delete(out.resolve("my-notes.md"));
        Files.delete(out.resolve("mydata").resolve("a.csv"));
        Files.delete(out.resolve("mydata"));
        writeIndex(OutputFolder.claim(out, CLI), "second");
        assertThat(out.resolve("index.html")).hasContent("second");
        assertThat(out.resolve("figures")).doesNotExist();
    }

    @Test
    void theMarkerListsWhatTheToolWrote() throws IOException {
        Path out = dir.resolve("report");
        OutputFolder.claim(out, CLI).replaceWith(f -> {
            Files.writeString(f.resolve("index.html"), "x");
            Files.createDirectory(f.resolve("figures"));
            Files.writeString(f.resolve("figures").resolve("a.png"), "png");
        });
        List<String> lines = Files.readAllLines(out.resolve(OutputFolder.MARKER));
        assertThat(lines.subList(lines.indexOf("written:") + 1, lines.size()))
                .containsExactly("figures", "figures/a.png", "index.html");
    }

    @Test
    void aFolderThisUserMayNotWriteIsRefusedAndKept() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may write any folder");
        Path out = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertThatThrownBy(() -> OutputFolder.claim(out, CLI)).isInstanceOf(OutputPathException.class)
                    .hasMessage(out + ": folder is not writable; name a folder you may write");
            assertThat(out).isDirectory();
        } finally {
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void anOutputFileIsNeverWrittenOverAnInputOfTheRun() throws IOException {
        Path scenario = Files.writeString(dir.resolve("s.json"), "{}");
        org.mohge.sim.InputFiles.forgetReads();
        org.mohge.sim.InputFiles.requireReadable(scenario, 1000);
        try {
            assertThatThrownBy(() -> AtomicFiles.writeString(dir.resolve(".").resolve("s.json"), "trace"))
                    .isInstanceOf(OutputPathException.class)
                    .hasMessageEndingWith("s.json: is an input of this run; name another file for the output");
            assertThat(scenario).hasContent("{}");
        } finally {
            org.mohge.sim.InputFiles.forgetReads();
        }
    }
}
