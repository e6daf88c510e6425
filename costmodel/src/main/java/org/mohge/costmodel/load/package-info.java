/** Expected tokens per expert and layer: what placement optimises for. */
package org.mohge.costmodel.load;
