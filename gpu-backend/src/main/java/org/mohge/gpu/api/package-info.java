/** Backend-neutral layer execution API: weights, forward passes, routing taken, per-stage and per-partition timings. */
package org.mohge.gpu.api;
