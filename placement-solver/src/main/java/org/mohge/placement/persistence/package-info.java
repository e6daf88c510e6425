/** Maps placement problems and {@code Placement}s into the planning model and back. */
package org.mohge.placement.persistence;
