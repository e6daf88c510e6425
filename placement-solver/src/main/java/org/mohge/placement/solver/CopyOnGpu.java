package org.mohge.placement.solver;

/**
 * One copy an expert has on a GPU, as the {@link PairExchangeDescent} moves it: its expert, the
 * share of the expert's tokens it serves and how many copies the expert has (its HBM depends on it).
 */
record CopyOnGpu(int expert, double share, int copies) {

    CopyOnGpu withCopies(int newCopies) {
        return new CopyOnGpu(expert, share, newCopies);
    }
}
