/** Pure-Java float32 reference backend: exact routing, SwiGLU/GELU experts, deterministic multi-threaded GEMMs. */
package org.mohge.gpu.cpu;
