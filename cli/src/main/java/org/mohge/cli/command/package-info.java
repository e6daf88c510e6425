/** The {@code mohge} subcommands: thin picocli adapters over the library services. */
package org.mohge.cli.command;
