package org.mohge.gpu.bench;

import org.mohge.costmodel.calibration.Measurement;
import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.deploy.Placement;
import org.mohge.gpu.api.ExecutableLayer;
import org.mohge.gpu.api.FloatMatrix;
import org.mohge.gpu.api.LayerBackend;
import org.mohge.gpu.api.PartitionWork;
import org.mohge.gpu.api.Routing;

/**
 * For {@code mohge validate}: each GPU's expert time under a placement, measured one partition at a
 * time on this one device. The routing can be the layer's own ({@link ExecutableLayer#route}) or one
 * drawn by the simulator's router (build a {@link Routing} from its decisions), so that measured and
 * simulated per-GPU times see the same tokens.
 */
public final class PartitionBenchmark {

    /** Median and minimum expert time of GPU {@code gpu}'s partition ({@code experts} copies, {@code activations} rows). */
    public record PartitionMeasurement(int gpu, int experts, int activations, int repeats, double medianUs, double minUs) {
    }

    private PartitionBenchmark() {
    }

    public static List<PartitionMeasurement> measure(ExecutableLayer layer, FloatMatrix x, Routing routing,
                                                     Placement placement, int warmups, int repeats) {
        List<PartitionMeasurement> out = new ArrayList<>();
        for (PartitionWork work : PartitionWork.split(routing, placement)) {
            Timing t = Timing.of(warmups, repeats, () -> layer.runPartition(x, work).timeUs());
            out.add(new PartitionMeasurement(work.gpu(), work.experts().size(), work.activations(), t.repeats(),
                    t.medianUs(), t.minUs()));
        }
        return out;
    }

    /** The same as calibration measurements (kernel {@code partition_experts}, shape: gpu, experts, activations). */
    public static List<Measurement> asMeasurements(LayerBackend backend, int modelHidden, List<PartitionMeasurement> list) {
        List<Measurement> out = new ArrayList<>();
        for (PartitionMeasurement p : list) {
            out.add(new Measurement(backend.deviceName(), backend.name(), "partition_experts", backend.dtype(),
                    Measurement.shape("gpu", p.gpu(), "experts", p.experts(), "activations", p.activations(), "modelHidden",
                            modelHidden), p.repeats(), p.medianUs(), p.minUs(), 0));
        }
        return out;
    }
}
