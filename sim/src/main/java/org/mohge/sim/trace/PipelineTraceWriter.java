package org.mohge.sim.trace;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import org.mohge.sim.core.RankProgram;
import org.mohge.sim.core.RankProgramRunner.RankSchedule;

/**
 * Writes a simulated training step as Chrome trace-event JSON: one process per pipeline stage
 * (the rank that stands for it), one thread per stream (compute, sends to the next and to the
 * previous stage, data-parallel collectives), one complete ("X") event per op of non-zero
 * duration, named by pass, micro-batch and model chunk; timestamps in microseconds.
 */
public final class PipelineTraceWriter {
    private PipelineTraceWriter() {
    }

    public static void write(RankSchedule schedule, OutputStream out) throws IOException {
        JsonFactory factory = new JsonFactory();
        factory.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        RankProgram program = schedule.program();
        try (JsonGenerator json = factory.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("displayTimeUnit", "ns");
            json.writeArrayFieldStart("traceEvents");
            for (int s = 0; s < program.ranks(); s++) {
                ChromeTraceWriter.metadata(json, "process_name", s, -1, "stage " + s);
                for (RankProgram.Stream stream : RankProgram.Stream.values()) {
                    ChromeTraceWriter.metadata(json, "thread_name", s, stream.ordinal(), stream.name().toLowerCase(Locale.ROOT)
                            .replace('_', ' '));
                }
            }
            for (RankProgram.RankOp op : program.ops()) {
                long start = schedule.startNs()[op.id()];
                long end = schedule.endNs()[op.id()];
                if (end <= start) {
                    continue;
                }
                json.writeStartObject();
                json.writeStringField("name", op.microBatch() >= 0
                        ? op.label().label() + " mb" + op.microBatch() + (op.chunk() > 0 ? " c" + op.chunk() : "")
                        : op.label().label());
                json.writeStringField("cat", op.stream().name().toLowerCase(Locale.ROOT));
                json.writeStringField("ph", "X");
                json.writeNumberField("pid", op.rank());
                json.writeNumberField("tid", op.stream().ordinal());
                json.writeNumberField("ts", start / 1000.0);
                json.writeNumberField("dur", (end - start) / 1000.0);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }
}
