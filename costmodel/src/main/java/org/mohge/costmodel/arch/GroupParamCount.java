package org.mohge.costmodel.arch;

/**
 * Parameters of one size class (a MoHGE group) summed over every MoE layer, and the share of
 * routed-expert activations it receives under the usage mix the report was made for.
 */
public record GroupParamCount(int sizeClass, int expertHidden, int experts, long paramsPerExpert, long totalParams,
                              double activationShare, double activatedParams) {
}
