/** Studies: the whole chain from a scenario to a report folder, and side-by-side comparisons. */
package org.mohge.cli.study;
