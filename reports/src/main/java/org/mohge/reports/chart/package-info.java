/** Charts as plain data specs, and their rendering to PNG with JFreeChart. */
package org.mohge.reports.chart;
