package org.mohge.placement.solver;

import java.util.ArrayList;
import java.util.List;

/** The index sets and copy lists of the descent's exchanges. */
final class CopyExchanges {
    private CopyExchanges() {
    }

    /**
     * {@code own} without the copies at {@code out}, plus {@code other}'s copies at {@code in};
     * null when that would put two copies of one expert on the GPU, or send an expert's copy away
     * while taking in another copy of it (a no-op that only swaps their shares).
     */
    static List<CopyOnGpu> exchange(List<CopyOnGpu> own, int[] out, List<CopyOnGpu> other, int[] in) {
        List<CopyOnGpu> result = new ArrayList<>(own.size() - out.length + in.length);
        for (int i = 0; i < own.size(); i++) {
            if (indexOf(out, i) < 0) {
                result.add(own.get(i));
            }
        }
        for (int j : in) {
            CopyOnGpu incoming = other.get(j);
            if (indexOfExpert(own, incoming.expert()) >= 0 || indexOfExpert(result, incoming.expert()) >= 0) {
                return null;
            }
            result.add(incoming);
        }
        return result;
    }

    static int indexOfExpert(List<CopyOnGpu> copies, int expert) {
        for (int i = 0; i < copies.size(); i++) {
            if (copies.get(i).expert() == expert) {
                return i;
            }
        }
        return -1;
    }

    static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** How many index sets of size 0 to {@code largest} (1 or 2) there are out of {@code n}. */
    static int subsetCount(int n, int largest) {
        return 1 + n + (largest > 1 ? n * (n - 1) / 2 : 0);
    }

    /** Index sets of size 0 to {@code largest} (1 or 2) out of {@code n}. */
    static List<int[]> subsets(int n, int largest) {
        List<int[]> sets = new ArrayList<>(subsetCount(n, largest));
        sets.add(new int[0]);
        for (int i = 0; i < n; i++) {
            sets.add(new int[] {i});
        }
        for (int i = 0; i < n && largest > 1; i++) {
            for (int j = i + 1; j < n; j++) {
                sets.add(new int[] {i, j});
            }
        }
        return sets;
    }
}
