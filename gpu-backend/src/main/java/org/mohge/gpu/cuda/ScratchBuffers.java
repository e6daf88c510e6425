package org.mohge.gpu.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;

import java.util.HashMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * Named device scratch buffers of one layer, grown (by at least a quarter, never shrunk) on
 * demand so that repeated runs at one token count allocate nothing. Each name's allocation count
 * lets a caller tell whether what it uploaded into a buffer is still there.
 */
final class ScratchBuffers {
    private static final long MIN_BYTES = 256;

    private final Map<String, CUdeviceptr> buffers = new HashMap<>();
    private final Map<String, Long> capacityBytes = new HashMap<>();
    private final Map<String, Integer> allocations = new HashMap<>();

    /** The buffer {@code name}, holding at least {@code bytes}; its old contents are lost if it grows. */
    CUdeviceptr get(String name, long bytes) {
        long need = Math.max(MIN_BYTES, bytes);
        Long have = capacityBytes.get(name);
        if (have == null || have < need) {
            CUdeviceptr old = buffers.get(name);
            if (old != null) {
                cuMemFree(old);
            }
            long size = have == null ? need : Math.max(need, have + have / 4);
            CUdeviceptr p = new CUdeviceptr();
            cuMemAlloc(p, size);
            buffers.put(name, p);
            capacityBytes.put(name, size);
            allocations.merge(name, 1, Integer::sum);
        }
        return buffers.get(name);
    }

    /** The buffer {@code name} as last allocated (a run wrote it earlier). */
    CUdeviceptr existing(String name) {
        CUdeviceptr p = buffers.get(name);
        if (p == null) {
            throw new IllegalStateException("no device buffer '" + name + "' yet");
        }
        return p;
    }

    /** How many times {@code name} has been (re)allocated: a change means its contents are gone. */
    int allocations(String name) {
        return allocations.getOrDefault(name, 0);
    }

    CUdeviceptr upload(String name, byte[] bytes) {
        CUdeviceptr p = get(name, bytes.length);
        if (bytes.length > 0) {
            cuMemcpyHtoD(p, Pointer.to(bytes), bytes.length);
        }
        return p;
    }

    CUdeviceptr upload(String name, int[] values) {
        CUdeviceptr p = get(name, values.length * 4L);
        if (values.length > 0) {
            cuMemcpyHtoD(p, Pointer.to(values), values.length * 4L);
        }
        return p;
    }

    CUdeviceptr upload(String name, float[] values) {
        CUdeviceptr p = get(name, values.length * 4L);
        if (values.length > 0) {
            cuMemcpyHtoD(p, Pointer.to(values), values.length * 4L);
        }
        return p;
    }

    void freeAll() {
        for (CUdeviceptr p : buffers.values()) {
            cuMemFree(p);
        }
        buffers.clear();
        capacityBytes.clear();
    }
}
