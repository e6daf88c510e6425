package org.mohge.gpu.api;

/**
 * Expert time of one partition (the experts one GPU hosts): {@code activations} token-expert pairs
 * over {@code experts} hosted experts, run alone, in {@code timeUs}.
 */
public record PartitionTiming(int gpu, int experts, int activations, double timeUs) {
}
