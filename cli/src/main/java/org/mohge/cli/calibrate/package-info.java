/** Calibration and validation runs: microbenchmarks fitted into profiles, partitions measured against predictions. */
package org.mohge.cli.calibrate;
