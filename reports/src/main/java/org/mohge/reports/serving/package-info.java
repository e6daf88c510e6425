/** The report of a serving study: latency distributions, throughput against offered load, KV use and batch size over time. */
package org.mohge.reports.serving;
