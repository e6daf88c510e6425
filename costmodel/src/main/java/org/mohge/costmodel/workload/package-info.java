/** What a step processes: training or inference, tokens, sequences and micro-batches. */
package org.mohge.costmodel.workload;
