package org.mohge.gpu.cuda;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.arch.Activation;
import org.mohge.gpu.api.ExpertWeights;
import org.mohge.gpu.api.LayerWeights;

/**
 * Where each expert's matrices sit in the device's bf16 weight arena, and the grouped-GEMM
 * descriptors of the two FFN launches. "Slot experts" are the routed experts {@code 0..E-1}
 * followed by the shared experts {@code E..E+S-1} (shared experts run in the same launches, on
 * every token). Pure Java: tested without a GPU.
 */
public final class WeightLayout {
    private final int modelHidden;
    private final Activation activation;
    private final int[] hidden;
    private final long[] gateOff;
    private final long[] upOff;
    private final long[] downOff;
    private final long totalElements;

    public WeightLayout(LayerWeights w) {
        List<ExpertWeights> all = new ArrayList<>(w.experts());
        all.addAll(w.sharedExperts());
        this.modelHidden = w.modelHidden();
        this.activation = w.spec().activation();
        int n = all.size();
        hidden = new int[n];
        gateOff = new long[n];
        upOff = new long[n];
        downOff = new long[n];
        long off = 0;
        for (int e = 0; e < n; e++) {
            ExpertWeights ew = all.get(e);
            hidden[e] = ew.hidden();
            long size = (long) modelHidden * ew.hidden();
            if (activation == Activation.SWIGLU) {
                gateOff[e] = off;
                off += size;
            } else {
                gateOff[e] = -1;
            }
            upOff[e] = off;
            off += size;
            downOff[e] = off;
            off += size;
        }
        totalElements = off;
    }

    public int slotExperts() {
        return hidden.length;
    }

    public int hidden(int e) {
        return hidden[e];
    }

    public long gateOffset(int e) {
        return gateOff[e];
    }

    public long upOffset(int e) {
        return upOff[e];
    }

    public long downOffset(int e) {
        return downOff[e];
    }

    public long totalElements() {
        return totalElements;
    }

    public Activation activation() {
        return activation;
    }

    /** Offsets (in elements) of each listed expert's H block {@code rows[i] x hidden(experts[i])}, and the total at the end. */
    public long[] hiddenOffsets(int[] experts, int[] rows) {
        long[] off = new long[experts.length + 1];
        for (int i = 0; i < experts.length; i++) {
            off[i + 1] = off[i] + (long) rows[i] * hidden[experts[i]];
        }
        return off;
    }

    /**
     * First launch: {@code H_i = act(Xp_i W_gate, Xp_i W_up)} for the listed experts, where expert
     * {@code experts[i]} has {@code rows[i]} permuted rows starting at row {@code rowOff[i]} of Xp.
     */
    public List<ExpertDesc> gateUpDescs(int[] experts, int[] rows, long[] rowOff, long[] hOff) {
        List<ExpertDesc> list = new ArrayList<>();
        for (int i = 0; i < experts.length; i++) {
            int e = experts[i];
            long b0 = activation == Activation.SWIGLU ? gateOff[e] : upOff[e];
            list.add(new ExpertDesc(b0, upOff[e], rowOff[i] * modelHidden, hOff[i], rows[i], modelHidden, hidden[e]));
        }
        return list;
    }

    /** Second launch: {@code Yp_i = H_i W_down} (fp32 out) at the same permuted rows. */
    public List<ExpertDesc> downDescs(int[] experts, int[] rows, long[] rowOff, long[] hOff) {
        List<ExpertDesc> list = new ArrayList<>();
        for (int i = 0; i < experts.length; i++) {
            int e = experts[i];
            list.add(new ExpertDesc(downOff[e], downOff[e], hOff[i], rowOff[i] * modelHidden, rows[i], hidden[e],
                    modelHidden));
        }
        return list;
    }

    /** Column tile width of the first launch's kernel. */
    public int gateUpBlockCols() {
        return activation == Activation.SWIGLU ? GroupedGemmPlan.BN_SWIGLU : GroupedGemmPlan.BN_WIDE;
    }

    /** Kernel name of the first launch. */
    public String gateUpKernel() {
        return activation == Activation.SWIGLU ? "grouped_gemm_swiglu" : "grouped_gemm_gelu";
    }
}
