/** Options shared by several commands, as picocli mixins. */
package org.mohge.cli.option;
