package org.mohge.sim.trace;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import org.mohge.costmodel.hardware.ClusterSpec;
import org.mohge.sim.core.Op;
import org.mohge.sim.core.OpKind;
import org.mohge.sim.core.Schedule;

/**
 * Writes one simulated step as Chrome trace-event JSON: one process per GPU (named
 * {@code GPU g (node n)}), with two threads, {@code compute} (the compute stream) and
 * {@code communication} (the links), and one complete ("X") event per op, timestamps in
 * microseconds. Ops of zero duration are left out. The output is a pure function of the schedule.
 */
public final class ChromeTraceWriter {
    static final int COMPUTE_TID = 0;
    static final int COMMUNICATION_TID = 1;

    private ChromeTraceWriter() {
    }

    public static void write(Schedule schedule, ClusterSpec cluster, OutputStream out) throws IOException {
        JsonFactory factory = new JsonFactory();
        factory.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        try (JsonGenerator json = factory.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("displayTimeUnit", "ns");
            json.writeArrayFieldStart("traceEvents");
            int gpus = schedule.program().gpus();
            for (int g = 0; g < gpus; g++) {
                metadata(json, "process_name", g, -1, "GPU " + g + " (node " + cluster.nodeOf(g) + ")");
                metadata(json, "process_sort_index", g, -1, null);
                metadata(json, "thread_name", g, COMPUTE_TID, "compute");
                metadata(json, "thread_name", g, COMMUNICATION_TID, "communication");
            }
            for (int g = 0; g < gpus; g++) {
                for (Op op : schedule.program().ops()) {
                    long start = schedule.start(op.id(), g);
                    long end = schedule.end(op.id(), g);
                    if (end <= start) {
                        continue;
                    }
                    json.writeStartObject();
                    json.writeStringField("name", op.stage().label() + (op.backward() ? " bwd" : ""));
                    json.writeStringField("cat", op.kind() == OpKind.COMPUTE ? "compute" : "communication");
                    json.writeStringField("ph", "X");
                    json.writeNumberField("pid", g);
                    json.writeNumberField("tid", op.kind() == OpKind.COMPUTE ? COMPUTE_TID : COMMUNICATION_TID);
                    json.writeNumberField("ts", start / 1000.0);
                    json.writeNumberField("dur", (end - start) / 1000.0);
                    json.writeObjectFieldStart("args");
                    if (op.layer() >= 0) {
                        json.writeNumberField("layer", op.layer());
                    }
                    json.writeNumberField("microBatch", op.microBatch());
                    json.writeStringField("pass", op.backward() ? "backward" : "forward");
                    json.writeEndObject();
                    json.writeEndObject();
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    /** A trace metadata event: {@code value} names the process or thread, or (null) sorts processes by pid. */
    static void metadata(JsonGenerator json, String name, int pid, int tid, String value) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", name);
        json.writeStringField("ph", "M");
        json.writeNumberField("pid", pid);
        if (tid >= 0) {
            json.writeNumberField("tid", tid);
        }
        json.writeObjectFieldStart("args");
        if (value != null) {
            json.writeStringField("name", value);
        } else {
            json.writeNumberField("sort_index", pid);
        }
        json.writeEndObject();
        json.writeEndObject();
    }
}
