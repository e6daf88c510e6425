package org.mohge.cli.scenario;

/**
 * Bad user input (a scenario, placement, trace or load-profile file): the message is the one
 * line the user sees, {@code file: json.path rule}. Exit code 2.
 */
public final class ScenarioException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScenarioException(String message) {
        super(message);
    }

    public ScenarioException(String message, Throwable cause) {
        super(message, cause);
    }
}
