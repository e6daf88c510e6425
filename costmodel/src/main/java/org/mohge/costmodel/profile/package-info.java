/** Published per-GPU profiles: public kernel and collective measurements, the fit of the kernel prices to them. */
package org.mohge.costmodel.profile;
