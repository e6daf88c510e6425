/** Validation vocabulary shared by every spec record: field-naming violations and checks. */
package org.mohge.costmodel.spec;
