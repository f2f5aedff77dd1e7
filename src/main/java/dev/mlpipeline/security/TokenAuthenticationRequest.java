package dev.mlpipeline.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer token of this service (an {@code mlp_} API token, or the bootstrap token) to authenticate. */
public final class TokenAuthenticationRequest extends BaseAuthenticationRequest {

    private final String token;

    public TokenAuthenticationRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    /** Never the token. */
    @Override
    public String toString() {
        return "TokenAuthenticationRequest";
    }
}
