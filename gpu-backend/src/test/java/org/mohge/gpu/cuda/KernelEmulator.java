package org.mohge.gpu.cuda;

import java.util.ArrayList;
import java.util.List;
import org.mohge.gpu.api.ExpertWeights;
import org.mohge.gpu.api.FloatMatrix;
import org.mohge.gpu.api.LayerWeights;
import org.mohge.gpu.api.Routing;

/**
 * Java stand-in for the CUDA pipeline's data movement: the same slot tables, counting sort,
 * {@link WeightLayout} offsets, {@link GroupedGemmPlan} tiles and combine indexing as
 * CudaExecutableLayer, with the kernels' arithmetic (bf16 operands, fp32 accumulation, bf16 H)
 * written from the .cu files' comments. Lets the host-side planning be tested without a GPU.
 */
final class KernelEmulator {
    final int[] writes; // per element of the last C array: how many tiles wrote it

    private KernelEmulator(int size) {
        writes = new int[size];
    }

    static float[] arena(LayerWeights w, WeightLayout layout) {
        float[] arena = new float[(int) layout.totalElements()];
        List<ExpertWeights> all = new ArrayList<>(w.experts());
        all.addAll(w.sharedExperts());
        for (int e = 0; e < all.size(); e++) {
            if (layout.gateOffset(e) >= 0) {
                put(arena, layout.gateOffset(e), all.get(e).gate().data());
            }
            put(arena, layout.upOffset(e), all.get(e).up().data());
            put(arena, layout.downOffset(e), all.get(e).down().data());
        }
        return arena;
    }

    private static void put(float[] arena, long off, float[] data) {
        for (int i = 0; i < data.length; i++) {
            arena[(int) off + i] = Bf16.round(data[i]);
        }
    }

    /** Emulates one grouped GEMM launch; mode 0 swiglu, 1 gelu, 2 plain; bf16 output for modes 0 and 1. */
    static int[] launch(GroupedGemmPlan plan, int mode, float[] a, float[] wArena, float[] c) {
        KernelEmulator em = new KernelEmulator(c.length);
        int[] t = plan.tiles();
        for (int i = 0; i < plan.tileCount(); i++) {
            ExpertDesc ds = plan.descs().get(t[3 * i]);
            int m0 = t[3 * i + 1] * plan.blockRows();
            int n0 = t[3 * i + 2] * plan.blockCols();
            for (int r = m0; r < Math.min(ds.rows(), m0 + plan.blockRows()); r++) {
                for (int col = n0; col < Math.min(ds.n(), n0 + plan.blockCols()); col++) {
                    float acc0 = 0;
                    float acc1 = 0;
                    for (int p = 0; p < ds.k(); p++) {
                        float av = a[(int) (ds.a() + (long) r * ds.k() + p)];
                        acc0 += av * wArena[(int) (ds.b0() + (long) p * ds.n() + col)];
                        acc1 += av * wArena[(int) (ds.b1() + (long) p * ds.n() + col)];
                    }
                    float v = switch (mode) {
                        case 0 -> (float) (acc0 / (1 + Math.exp(-acc0)) * acc1);
                        case 1 -> (float) (0.5 * acc0 * (1 + Math.tanh(0.7978845608028654 * (acc0 + 0.044715 * acc0 * acc0 * acc0))));
                        default -> acc0;
                    };
                    int idx = (int) (ds.c() + (long) r * ds.n() + col);
                    c[idx] = mode == 2 ? v : Bf16.round(v);
                    em.writes[idx]++;
                }
            }
        }
        return em.writes;
    }

    /** The whole CUDA forward pass, emulated, given the routing (from the CPU router). */
    static FloatMatrix forward(LayerWeights w, FloatMatrix x, Routing routing, List<int[]> writesOut) {
        WeightLayout layout = new WeightLayout(w);
        int d = w.modelHidden();
        int t = x.rows();
        int k = routing.expertsPerToken();
        int experts = w.expertCount();
        int shared = w.sharedExperts().size();
        int slotExperts = experts + shared;
        int slots = t * (k + shared);
        int[] slotExpert = new int[slots];
        int[] slotToken = new int[slots];
        for (int i = 0; i < t * k; i++) {
            slotExpert[i] = routing.experts()[i];
            slotToken[i] = i / k;
        }
        for (int j = 0; j < shared; j++) {
            for (int tok = 0; tok < t; tok++) {
                slotExpert[t * k + j * t + tok] = experts + j;
                slotToken[t * k + j * t + tok] = tok;
            }
        }
        int[] counts = new int[slotExperts];
        for (int e : slotExpert) {
            counts[e]++;
        }
        int[] fill = new int[slotExperts];
        for (int e = 1; e < slotExperts; e++) {
            fill[e] = fill[e - 1] + counts[e - 1];
        }
        int[] slotPos = new int[slots];
        int[] permToken = new int[slots];
        for (int i = slots - 1; i >= 0; i--) { // reverse order: the kernels promise nothing about order within an expert
            int pos = fill[slotExpert[i]]++;
            slotPos[i] = pos;
            permToken[pos] = slotToken[i];
        }
        float[] xp = new float[slots * d];
        for (int p = 0; p < slots; p++) {
            for (int c = 0; c < d; c++) {
                xp[p * d + c] = Bf16.round(x.data()[permToken[p] * d + c]);
            }
        }
        int[] ids = new int[slotExperts];
        long[] rowOff = new long[slotExperts + 1];
        for (int e = 0; e < slotExperts; e++) {
            ids[e] = e;
            rowOff[e + 1] = rowOff[e] + counts[e];
        }
        long[] hOff = layout.hiddenOffsets(ids, counts);
        GroupedGemmPlan first = GroupedGemmPlan.of(layout.gateUpDescs(ids, counts, rowOff, hOff), layout.gateUpBlockCols());
        GroupedGemmPlan second = GroupedGemmPlan.of(layout.downDescs(ids, counts, rowOff, hOff), GroupedGemmPlan.BN_WIDE);
        float[] arena = arena(w, layout);
        float[] h = new float[(int) hOff[slotExperts]];
        float[] yp = new float[slots * d];
        int mode = layout.gateUpKernel().endsWith("swiglu") ? 0 : 1;
        writesOut.add(launch(first, mode, xp, arena, h));
        writesOut.add(launch(second, 2, h, arena, yp));
        float[] y = new float[t * d];
        for (int tok = 0; tok < t; tok++) {
            for (int c = 0; c < d; c++) {
                float acc = 0;
                for (int s = 0; s < k; s++) {
                    acc += routing.weights()[tok * k + s] * yp[slotPos[tok * k + s] * d + c];
                }
                for (int j = 0; j < shared; j++) {
                    acc += yp[slotPos[t * k + j * t + tok] * d + c];
                }
                y[tok * d + c] = acc;
            }
        }
        return new FloatMatrix(t, d, y);
    }
}
