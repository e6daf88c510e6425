/** Expert placements over GPUs: the record, its scenario section and the built-in layouts. */
package org.mohge.costmodel.deploy;
