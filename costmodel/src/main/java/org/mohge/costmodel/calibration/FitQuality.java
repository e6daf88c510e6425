package org.mohge.costmodel.calibration;

/**
 * How well a fit explains its measurements: R^2 of log time on the data it was fitted to, and
 * the median and worst absolute percentage error on held-out folds (k-fold cross-validation).
 */
public record FitQuality(int measurements, double rSquaredLog, double medianAbsErrorPct, double heldOutMedianAbsErrorPct,
                         double heldOutMaxAbsErrorPct, int folds) {
}
