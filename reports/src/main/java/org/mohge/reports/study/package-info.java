/** The study report: what one `mohge study` run found, laid out as sections, tables and charts. */
package org.mohge.reports.study;
