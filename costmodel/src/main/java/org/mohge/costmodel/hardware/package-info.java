/** GPU and cluster specs, and the catalog of GPUs known by name. */
package org.mohge.costmodel.hardware;
