/** The fidelity suite: published whole training steps re-priced by the training-step estimate of {@code mohge cost}. */
package org.mohge.cli.fidelity;
