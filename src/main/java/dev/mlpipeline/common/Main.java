package dev.mlpipeline.common;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the service with Vert.x's URI pre-check off. Quarkus' root HTTP handler otherwise answers
 * a request whose URI {@link java.net.URI} cannot parse (a malformed percent-encoding such as
 * {@code %zz}) with a bare 400 before any route runs; with the check off such requests reach
 * {@link RequestGuard}, which answers problem+json naming the path or the query parameter. The
 * property is read once, when the HTTP layer is initialized, so it is set before Quarkus starts
 * (the test JVMs get it from the Maven test plugins).
 */
@QuarkusMain
public final class Main {

    /** The Vert.x system property that turns the URI pre-check off. */
    public static final String DISABLE_URI_VALIDATION = "vertx.disableURIValidation";

    private Main() {
    }

    public static void main(String... args) {
        if (System.getProperty(DISABLE_URI_VALIDATION) == null) {
            System.setProperty(DISABLE_URI_VALIDATION, "true");
        }
        Quarkus.run(args);
    }
}
