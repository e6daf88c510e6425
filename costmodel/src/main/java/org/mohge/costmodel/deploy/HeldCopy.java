package org.mohge.costmodel.deploy;

/** A copy of expert {@code expert} held by some GPU, serving {@code share} of that expert's tokens. */
public record HeldCopy(int expert, double share) {
}
