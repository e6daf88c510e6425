/** The capacity-planning report: a sweep's points, its Pareto front, the cheapest design meeting the target and sensitivity charts. */
package org.mohge.reports.plan;
