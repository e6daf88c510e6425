/** The report model: a report is sections of paragraphs, callouts, tables and charts. */
package org.mohge.reports.model;
