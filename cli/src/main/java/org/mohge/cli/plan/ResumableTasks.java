package org.mohge.cli.plan;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A sweep of task lines run on an engine with the resume file: results already in it (same
 * fingerprint, same point) are kept, the other tasks run, and each result is appended and flushed
 * as it arrives, so an interrupted run loses only the points in flight. The serving plan's loop;
 * {@link PlanRunner} does the same for training sweeps with typed points.
 *
 * @param <M> a point's result, as the resume file stores it
 */
public final class ResumableTasks<M> {
    private final TaskFunction function;
    private final Class<M> type;
    private final Function<M, String> currentId;

    /**
     * @param currentId a result's point id when the result belongs to one of this sweep's points (equal in
     *     every value), else null; also how results arriving from the engine are matched to points
     */
    public ResumableTasks(TaskFunction function, Class<M> type, Function<M, String> currentId) {
        this.function = function;
        this.type = type;
        this.currentId = currentId;
    }

    /**
     * Runs the tasks not already done and returns every point's result by id.
     *
     * @param tasks task lines by point id, in point order
     */
    public Map<String, M> run(PlanEngine engine, Path resume, String fingerprint, boolean fresh,
                              Map<String, String> tasks, PrintWriter err) throws Exception {
        Map<String, M> done = new LinkedHashMap<>();
        if (fresh) {
            Files.deleteIfExists(resume);
        } else {
            done.putAll(ResumeFile.readAndCompact(resume, fingerprint, type, currentId));
        }
        List<String> pending = new ArrayList<>();
        tasks.forEach((id, line) -> {
            if (!done.containsKey(id)) {
                pending.add(line);
            }
        });
        int reused = done.size();
        err.println("[plan] " + tasks.size() + " points (" + reused + " from " + resume + ", " + pending.size()
                + " to evaluate) on " + engine.describe());
        err.flush();
        ProgressBar bar = new ProgressBar(err, tasks.size(), reused);
        try (BufferedWriter out = Files.newBufferedWriter(resume, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            engine.runTasks(function, pending, line -> {
                M m = ResumeFile.result(line, type);
                String id = m == null ? null : currentId.apply(m);
                if (id == null) {
                    throw new IllegalStateException("a task returned no result line for this sweep: " + line);
                }
                try {
                    out.write(ResumeFile.line(fingerprint, m));
                    out.write('\n');
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                done.put(id, m);
                bar.step();
            });
        }
        return done;
    }

    /** The resume file's content for these results, in point order (what the report folder keeps). */
    public static String lines(String fingerprint, Iterable<String> ids, Map<String, ?> results) {
        StringBuilder text = new StringBuilder();
        for (String id : ids) {
            text.append(ResumeFile.line(fingerprint, results.get(id))).append('\n');
        }
        return text.toString();
    }
}
