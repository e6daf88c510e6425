package org.mohge.gpu.cuda;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;

/**
 * Launches the backend's kernels on the default stream, checking each call's arguments against
 * the kernel's signature ({@link CudaLayerBackend#SIGNATURES}: 'p' device pointer, 'i' int, 'l'
 * long) so a wrong argument fails in Java and not as a fault on the device; and times stages with
 * a fixed set of CUDA events.
 */
final class KernelLauncher {
    private final CudaLayerBackend backend;
    private final CUevent[] events;

    KernelLauncher(CudaLayerBackend backend, int eventCount) {
        this.backend = backend;
        this.events = new CUevent[eventCount];
        for (int i = 0; i < eventCount; i++) {
            events[i] = new CUevent();
            cuEventCreate(events[i], 0);
        }
    }

    void launch(String kernel, int gridX, int gridY, int blockX, int blockY, Object... args) {
        String signature = CudaLayerBackend.SIGNATURES.get(kernel);
        if (signature == null || signature.length() != args.length) {
            throw new IllegalStateException(kernel + " takes " + signature + ", got " + args.length + " arguments");
        }
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            char kind = signature.charAt(i);
            if (a instanceof CUdeviceptr p && kind == 'p') {
                params[i] = Pointer.to(p);
            } else if (a instanceof Integer v && kind == 'i') {
                params[i] = Pointer.to(new int[] {v});
            } else if (a instanceof Long v && kind == 'l') {
                params[i] = Pointer.to(new long[] {v});
            } else {
                throw new IllegalStateException(kernel + " argument " + i + " must be of kind '" + kind + "', got " + a);
            }
        }
        cuLaunchKernel(backend.function(kernel), gridX, gridY, 1, blockX, blockY, 1, 0, null, Pointer.to(params), null);
    }

    /** Blocks of {@code per} threads covering {@code n} items. */
    static int blocks(long n, int per) {
        return (int) ((n + per - 1) / per);
    }

    void record(int event) {
        cuEventRecord(events[event], null);
    }

    void synchronize(int event) {
        cuEventSynchronize(events[event]);
    }

    /** Microseconds between two recorded events. */
    double elapsedUs(int from, int to) {
        float[] ms = new float[1];
        cuEventElapsedTime(ms, events[from], events[to]);
        return ms[0] * 1e3;
    }

    void destroy() {
        for (CUevent e : events) {
            cuEventDestroy(e);
        }
    }
}
