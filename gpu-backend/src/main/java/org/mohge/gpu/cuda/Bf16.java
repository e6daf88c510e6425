package org.mohge.gpu.cuda;

/** bfloat16 conversions on the host (round to nearest even, NaN kept quiet), as CUDA's {@code __float2bfloat16}. */
public final class Bf16 {
    private Bf16() {
    }

    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int rounding = ((bits >>> 16) & 1) + 0x7fff;
        return (short) ((bits + rounding) >>> 16);
    }

    public static float toFloat(short h) {
        return Float.intBitsToFloat((h & 0xffff) << 16);
    }

    /** The float nearest to {@code f} that bf16 can hold. */
    public static float round(float f) {
        return toFloat(fromFloat(f));
    }

    public static short[] fromFloats(float[] src) {
        short[] out = new short[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = fromFloat(src[i]);
        }
        return out;
    }
}
