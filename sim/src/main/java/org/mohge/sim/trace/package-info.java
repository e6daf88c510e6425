/** Chrome trace-event export of a simulated step, for Perfetto (ui.perfetto.dev) or chrome://tracing. */
package org.mohge.sim.trace;
