/** Calibration: kernel measurements, the fitted GEMM efficiency model and calibration profile files. */
package org.mohge.costmodel.calibration;
