/** The Apache Spark engine of {@code mohge plan}: the only package that imports Spark classes. */
package org.mohge.cli.plan.spark;
