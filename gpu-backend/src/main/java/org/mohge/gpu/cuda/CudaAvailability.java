package org.mohge.gpu.cuda;

import jcuda.CudaException;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

/**
 * Whether a CUDA device can be used here, probed once per JVM: loads JCuda's driver binding
 * (which needs {@code libcuda.so} from an NVIDIA driver), initialises the driver and counts devices.
 * Every failure, including {@link LinkageError}s from native loading, becomes a reason string;
 * nothing here crashes the JVM or throws.
 */
public record CudaAvailability(boolean available, String reason, String deviceName, int driverVersion) {

    private static CudaAvailability probed;

    public static synchronized CudaAvailability probe() {
        if (probed == null) {
            probed = doProbe();
        }
        return probed;
    }

    private static CudaAvailability doProbe() {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] == 0) {
                return new CudaAvailability(false, "no CUDA device found", "", 0);
            }
            int[] version = new int[1];
            JCudaDriver.cuDriverGetVersion(version);
            CUdevice device = new CUdevice();
            JCudaDriver.cuDeviceGet(device, 0);
            byte[] name = new byte[256];
            JCudaDriver.cuDeviceGetName(name, name.length, device);
            int len = 0;
            while (len < name.length && name[len] != 0) {
                len++;
            }
            return new CudaAvailability(true, "", new String(name, 0, len, java.nio.charset.StandardCharsets.US_ASCII),
                    version[0]);
        } catch (LinkageError e) {
            return new CudaAvailability(false, "cannot load the CUDA driver binding (" + linkProblem(e) + ")", "", 0);
        } catch (CudaException e) {
            return new CudaAvailability(false, "driver error (" + oneLine(e) + ")", "", 0);
        } catch (RuntimeException e) {
            return new CudaAvailability(false, oneLine(e), "", 0);
        }
    }

    /** The useful line of JCuda's long native-loading message, e.g. {@code libcuda.so.1: cannot open shared object file}. */
    static String linkProblem(LinkageError e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        for (String regex : new String[] {"(libcuda\\.so[\\w.]*: [^\\n]*)", "(lib[\\w.+-]+\\.so[\\w.]*: [^\\n]*)"}) {
            java.util.regex.Matcher match = java.util.regex.Pattern.compile(regex).matcher(m);
            if (match.find()) {
                return match.group(1).trim();
            }
        }
        return oneLine(e);
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.replaceAll("\\s+", " ").trim();
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }
}
