/** The cost model: primitives (GEMM, grouped GEMM, memory-bound, all-to-all), layer operations and memory. */
package org.mohge.costmodel.cost;
