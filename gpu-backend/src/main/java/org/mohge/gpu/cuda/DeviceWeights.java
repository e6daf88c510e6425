package org.mohge.gpu.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;

import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import org.mohge.costmodel.arch.GroupedMoe;
import org.mohge.gpu.api.ExpertWeights;
import org.mohge.gpu.api.LayerWeights;

/**
 * One layer's weights on the device: the router gates in fp32 (expert gate, and for grouped
 * layers the group gate with each group's first expert and size) and every routed and shared
 * expert in one bf16 arena laid out by {@link WeightLayout}.
 */
final class DeviceWeights {
    final CUdeviceptr arena = new CUdeviceptr();
    final CUdeviceptr expertGate = new CUdeviceptr();
    final CUdeviceptr groupGate = new CUdeviceptr();
    final CUdeviceptr groupFirst = new CUdeviceptr();
    final CUdeviceptr groupSize = new CUdeviceptr();
    private final int groups;

    DeviceWeights(LayerWeights w, WeightLayout layout) {
        int d = w.modelHidden();
        int experts = w.expertCount();
        this.groups = LayerWeights.groupCount(w.spec());
        cuMemAlloc(arena, Math.max(16, layout.totalElements() * 2));
        List<ExpertWeights> all = new ArrayList<>(w.experts());
        all.addAll(w.sharedExperts());
        for (int e = 0; e < all.size(); e++) {
            ExpertWeights ew = all.get(e);
            if (layout.gateOffset(e) >= 0) {
                uploadBf16(layout.gateOffset(e), ew.gate().data());
            }
            uploadBf16(layout.upOffset(e), ew.up().data());
            uploadBf16(layout.downOffset(e), ew.down().data());
        }
        cuMemAlloc(expertGate, (long) d * experts * 4);
        cuMemcpyHtoD(expertGate, Pointer.to(w.expertGate().data()), (long) d * experts * 4);
        if (groups > 0) {
            GroupedMoe g = (GroupedMoe) w.spec();
            cuMemAlloc(groupGate, (long) d * groups * 4);
            cuMemcpyHtoD(groupGate, Pointer.to(w.groupGate().data()), (long) d * groups * 4);
            int[] first = new int[groups];
            int[] size = new int[groups];
            for (int i = 0; i < groups; i++) {
                first[i] = g.firstExpertOf(i);
                size[i] = g.groups().get(i).experts();
            }
            cuMemAlloc(groupFirst, groups * 4L);
            cuMemAlloc(groupSize, groups * 4L);
            cuMemcpyHtoD(groupFirst, Pointer.to(first), groups * 4L);
            cuMemcpyHtoD(groupSize, Pointer.to(size), groups * 4L);
        }
    }

    private void uploadBf16(long offsetElements, float[] data) {
        short[] bf = Bf16.fromFloats(data);
        cuMemcpyHtoD(arena.withByteOffset(offsetElements * 2), Pointer.to(bf), bf.length * 2L);
    }

    void free() {
        cuMemFree(arena);
        cuMemFree(expertGate);
        if (groups > 0) {
            cuMemFree(groupGate);
            cuMemFree(groupFirst);
            cuMemFree(groupSize);
        }
    }
}
