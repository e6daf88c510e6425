package org.mohge.sim.serving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Chrome trace-event JSON of the iterations (opens in Perfetto): one process per replica, one
 * complete event per iteration with its sequences and tokens. Written as the run goes; stops
 * after {@code maxIterations} iterations so a long run cannot fill the disk (the last event says so).
 */
public final class ServingTraceWriter implements IterationListener {
    private final Writer out;
    private final long maxIterations;
    private long written;
    private boolean truncated;
    /** Each replica's pool role as its iterations name it, for the process names. */
    private final Map<Integer, PoolRole> roles = new HashMap<>();

    public ServingTraceWriter(Writer out, long maxIterations) {
        this.out = out;
        this.maxIterations = maxIterations;
        write("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n");
    }

    @Override
    public void onIteration(int replica, PoolRole role, long startNs, long durationNs, BatchShape shape, int seqs) {
        roles.putIfAbsent(replica, role);
        if (written >= maxIterations) {
            truncated = true;
            return;
        }
        String name = shape.prefillTokens() > 0 && shape.decodeTokens() > 0 ? "mixed"
                : shape.prefillTokens() > 0 ? "prefill" : "decode";
        write(String.format(Locale.ROOT, "%s{\"name\":\"%s\",\"ph\":\"X\",\"pid\":%d,\"tid\":0,\"ts\":%.3f,"
                        + "\"dur\":%.3f,\"args\":{\"seqs\":%d,\"prefillTokens\":%d,\"decodeTokens\":%d,\"role\":\"%s\"}}",
                written == 0 ? "" : ",\n", name, replica, startNs / 1e3, durationNs / 1e3, seqs,
                shape.prefillTokens(), shape.decodeTokens(), role.name().toLowerCase(Locale.ROOT)));
        written++;
    }

    /**
     * Closes the JSON document (process names for {@code replicas} replicas, with the pool a
     * disaggregated replica serves); does not close the writer.
     */
    public void finish(int replicas) {
        for (int r = 0; r < replicas; r++) {
            PoolRole role = roles.get(r);
            String pool = role == null || role == PoolRole.UNIFIED ? "" : role.name().toLowerCase(Locale.ROOT) + " ";
            write(String.format(Locale.ROOT, "%s{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%d,"
                    + "\"args\":{\"name\":\"%sreplica %d\"}}", written == 0 && r == 0 ? "" : ",\n", r, pool, r));
        }
        if (truncated) {
            write(String.format(Locale.ROOT, ",\n{\"name\":\"trace stops after %d iterations\",\"ph\":\"i\","
                    + "\"pid\":0,\"tid\":0,\"ts\":0,\"s\":\"g\"}", maxIterations));
        }
        write("\n]}\n");
    }

    public boolean truncated() {
        return truncated;
    }

    private void write(String s) {
        try {
            out.write(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
