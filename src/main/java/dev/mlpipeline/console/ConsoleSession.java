package dev.mlpipeline.console;

import java.util.function.Predicate;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/**
 * What a console page knows about the browser it answers: the CSRF token of its forms (set by
 * {@link ConsoleCsrf}), who is signed in and which actions the page may offer ({@link ConsoleIdentity}
 * fills them in from the request's identity). Templates read it as {@code inject:console}.
 *
 * <p>Hiding a button is a courtesy, never the check: the server refuses an action the caller's roles
 * do not allow whether or not the page offered it.
 */
@Named("console")
@RequestScoped
public class ConsoleSession {

    private String csrfToken = "";
    private boolean securityEnabled;
    private String user;
    private String roles;
    private Predicate<String> allowed = operationId -> true;

    /** The token every console form post must send back in the {@value ConsoleCsrf#HEADER} header. */
    public String csrfToken() {
        return csrfToken;
    }

    void csrfToken(String token) {
        this.csrfToken = token;
    }

    /** Whether the REST operation {@code operationId} is allowed to this browser's identity (its action is offered). */
    public boolean can(String operationId) {
        return allowed.test(operationId);
    }

    /** Whether requests must be signed in ({@code mlpipeline.security.enabled}). */
    public boolean securityEnabled() {
        return securityEnabled;
    }

    /** The signed-in identity's name, or null. */
    public String user() {
        return user;
    }

    /** The signed-in identity's roles, sorted and comma-separated (e.g. {@code deployer, viewer}), or null. */
    public String roles() {
        return roles;
    }

    void identify(boolean securityEnabled, String user, String roles, Predicate<String> allowed) {
        this.securityEnabled = securityEnabled;
        this.user = user;
        this.roles = roles;
        this.allowed = allowed;
    }
}
