package org.mohge.costmodel.profile;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a published measurement timed, and the shape keys it needs:
 * <ul>
 *   <li>{@code gemm}: {@code m, n, k};</li>
 *   <li>{@code grouped_gemm}: {@code groups} GEMMs of {@code m, n, k} in one launch;</li>
 *   <li>{@code attention_forward}, {@code attention_backward}: {@code batch, heads, seq, headDim,
 *       causal} (0 or 1), FLOPs counted as the FlashAttention papers do;</li>
 *   <li>{@code all_to_all_nvlink}: achieved NVLink bandwidth of an expert-parallel dispatch or
 *       combine inside one node;</li>
 *   <li>{@code all_to_all_nic}: achieved NIC bandwidth across {@code nodes} nodes; with
 *       {@code countsLocal} 1 the figure also counts the bytes that stay in the node (DeepEP V2's
 *       "logical bandwidth").</li>
 * </ul>
 */
public enum MeasurementKind {
    @JsonProperty("gemm") GEMM,
    @JsonProperty("grouped_gemm") GROUPED_GEMM,
    @JsonProperty("attention_forward") ATTENTION_FORWARD,
    @JsonProperty("attention_backward") ATTENTION_BACKWARD,
    @JsonProperty("all_to_all_nvlink") ALL_TO_ALL_NVLINK,
    @JsonProperty("all_to_all_nic") ALL_TO_ALL_NIC
}
