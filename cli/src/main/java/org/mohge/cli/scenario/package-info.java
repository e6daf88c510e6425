/** Scenario files: the records of the format, the strict JSON reader and the JSON Schema generator. */
package org.mohge.cli.scenario;
