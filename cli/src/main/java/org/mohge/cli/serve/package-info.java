/** Serving runs of a scenario's {@code serving} section: inputs resolved from the scenario, results printed. */
package org.mohge.cli.serve;
