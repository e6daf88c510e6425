/** Report output: the atomic writer of report folders. */
package org.mohge.reports;
