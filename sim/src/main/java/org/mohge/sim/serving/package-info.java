/**
 * Request-level serving simulation: arrivals, schedulers, the paged KV cache, replicas behind a
 * load balancer and prefill/decode pools, driven by the event core and priced by the costmodel.
 */
package org.mohge.sim.serving;
