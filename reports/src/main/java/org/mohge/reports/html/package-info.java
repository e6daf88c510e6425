/** Self-contained HTML rendering of reports. */
package org.mohge.reports.html;
