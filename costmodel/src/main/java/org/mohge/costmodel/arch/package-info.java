/** Architecture specs (attention, MoE layer kinds, the model) and their exact parameter and FLOP accounting. */
package org.mohge.costmodel.arch;
