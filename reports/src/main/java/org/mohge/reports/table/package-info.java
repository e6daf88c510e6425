/** Tables of a report and their CSV form. */
package org.mohge.reports.table;
