/** Text tables, unit formatting and JSON documents for command output. */
package org.mohge.cli.output;
