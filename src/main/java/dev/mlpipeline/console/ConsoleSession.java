package dev.mlpipeline.console;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/**
 * What a console page knows about the browser it answers: the CSRF token of its forms (set by
 * {@link ConsoleCsrf}) and which actions it may offer. Templates read it as {@code inject:console}.
 *
 * <p>Without security every action is offered; the server refuses what a caller may not do in any
 * case, so hiding a button is a courtesy, never the check.
 */
@Named("console")
@RequestScoped
public class ConsoleSession {

    private String csrfToken = "";

    /** The token every console form post must send back in the {@value ConsoleCsrf#HEADER} header. */
    public String csrfToken() {
        return csrfToken;
    }

    void csrfToken(String token) {
        this.csrfToken = token;
    }

    /** Whether the page should offer the action of the REST operation {@code operationId}. */
    public boolean can(String operationId) {
        return true;
    }
}
