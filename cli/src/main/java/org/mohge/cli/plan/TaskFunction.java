package org.mohge.cli.plan;

import java.io.Serializable;

/**
 * What an engine runs for one point: a task line (JSON) in, a result line (JSON) out, a pure
 * function of the line. Implementations are named classes with no state beyond what they are
 * constructed with, so a Spark executor deserialises one by loading its class from the shipped jar.
 */
public interface TaskFunction extends Serializable {
    String evaluate(String taskLine);
}
