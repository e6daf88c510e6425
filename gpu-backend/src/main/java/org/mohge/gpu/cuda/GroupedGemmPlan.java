package org.mohge.gpu.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The launch plan of one grouped GEMM: the experts' descriptors and the list of output tiles
 * ({@code expert, mTile, nTile}) that hold at least one row, one CUDA block per tile. Pure Java, so
 * the planning is tested without a GPU.
 */
public record GroupedGemmPlan(List<ExpertDesc> descs, int blockRows, int blockCols, int[] tiles) {

    /** Rows per tile in every kernel ({@code GG_BM}). */
    public static final int BM = 128;
    /** Columns per tile of the fused gate/up kernel ({@code GG_BN_SWIGLU}). */
    public static final int BN_SWIGLU = 64;
    /** Columns per tile of the GELU and plain kernels ({@code GG_BN_GELU}, {@code GG_BN_PLAIN}). */
    public static final int BN_WIDE = 128;

    public GroupedGemmPlan {
        descs = List.copyOf(descs);
    }

    public static GroupedGemmPlan of(List<ExpertDesc> descs, int blockCols) {
        int count = 0;
        for (ExpertDesc d : descs) {
            count += ceilDiv(d.rows(), BM) * ceilDiv(d.n(), blockCols);
        }
        int[] tiles = new int[3 * count];
        int i = 0;
        for (int e = 0; e < descs.size(); e++) {
            ExpertDesc d = descs.get(e);
            for (int m = 0; m < ceilDiv(d.rows(), BM); m++) {
                for (int n = 0; n < ceilDiv(d.n(), blockCols); n++) {
                    tiles[i++] = e;
                    tiles[i++] = m;
                    tiles[i++] = n;
                }
            }
        }
        return new GroupedGemmPlan(descs, BM, blockCols, tiles);
    }

    public int tileCount() {
        return tiles.length / 3;
    }

    /** The descriptors as the kernels read them: 4 x int64 then 4 x int32 each, little-endian. */
    public byte[] packedDescs() {
        ByteBuffer buf = ByteBuffer.allocate(descs.size() * ExpertDesc.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (ExpertDesc d : descs) {
            buf.putLong(d.b0()).putLong(d.b1()).putLong(d.a()).putLong(d.c());
            buf.putInt(d.rows()).putInt(d.k()).putInt(d.n()).putInt(0);
        }
        return buf.array();
    }

    public double flops() {
        double f = 0;
        for (ExpertDesc d : descs) {
            f += d.flops();
        }
        return f;
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
