/** Step-program builders: turn one step's routing and prices into the ops the event core runs. */
package org.mohge.sim.program;
