/** The placement quality benchmark: seeded instances, printed figures (not a test). */
package org.mohge.placement.bench;
