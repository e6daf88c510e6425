package org.mohge.costmodel.deploy;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.arch.ExpertShape;
import org.mohge.costmodel.arch.MoeLayerSpec;

/** The two placements every study starts from: standard expert parallel and the paper's. */
public final class Placements {
    public static final String CONTIGUOUS = "contiguous";
    public static final String GROUP_DECOUPLED = "group-decoupled";

    private Placements() {
    }

    /**
     * Standard expert-parallel order: the experts, in model order, cut into {@code gpus} blocks
     * whose sizes differ by at most one. For a grouped model this puts whole groups, hence one
     * expert size, on a GPU.
     */
    public static Placement contiguous(MoeLayerSpec moe, int gpus) {
        int experts = moe.expertCount();
        List<ExpertPlacement> list = new ArrayList<>(experts);
        for (int e = 0; e < experts; e++) {
            list.add(ExpertPlacement.single(e, (int) ((long) e * gpus / experts)));
        }
        return new Placement(CONTIGUOUS, gpus, list);
    }

    /**
     * All-size Group-decoupling Allocation (MoHGE): the experts of every size class are dealt
     * round-robin over all GPUs, the deal continuing from one class to the next, so each GPU
     * holds an equal share (within one expert) of every group and of the expert count.
     */
    public static Placement groupDecoupled(MoeLayerSpec moe, int gpus) {
        List<ExpertShape> experts = moe.expertShapes();
        List<ExpertPlacement> list = new ArrayList<>(experts.size());
        for (int i = 0; i < experts.size(); i++) {
            list.add(null);
        }
        int next = 0;
        for (int sizeClass = 0; sizeClass < moe.sizeClasses().size(); sizeClass++) {
            for (ExpertShape e : experts) {
                if (e.sizeClass() == sizeClass) {
                    list.set(e.index(), ExpertPlacement.single(e.index(), next));
                    next = (next + 1) % gpus;
                }
            }
        }
        return new Placement(GROUP_DECOUPLED, gpus, list);
    }

    /** A built-in placement by its scenario name. */
    public static Placement builtIn(String name, MoeLayerSpec moe, int gpus) {
        return switch (name) {
            case CONTIGUOUS -> contiguous(moe, gpus);
            case GROUP_DECOUPLED -> groupDecoupled(moe, gpus);
            default -> throw new IllegalArgumentException("unknown built-in placement '" + name
                    + "' (built-in: " + CONTIGUOUS + ", " + GROUP_DECOUPLED + ")");
        };
    }

    public static boolean isBuiltIn(String name) {
        return CONTIGUOUS.equals(name) || GROUP_DECOUPLED.equals(name);
    }
}
