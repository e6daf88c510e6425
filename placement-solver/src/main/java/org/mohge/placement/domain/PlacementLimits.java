package org.mohge.placement.domain;

/** Problem-wide limits: extra copies allowed over all experts. */
public record PlacementLimits(int spareSlots) {
}
