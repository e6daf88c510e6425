/** Microbenchmarks that sweep GEMM and layer shapes and emit calibration measurements. */
package org.mohge.gpu.bench;
