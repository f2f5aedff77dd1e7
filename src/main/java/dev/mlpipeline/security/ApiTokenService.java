package dev.mlpipeline.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.mlpipeline.common.Ids;
import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.common.NotFoundException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * API tokens: creation (the secret is returned once, only its SHA-256 is stored), listing, revocation,
 * and authentication of a bearer token into a {@link SecurityIdentity}.
 *
 * <p>Secrets are {@code mlp_} and 52 Crockford base32 characters (260 random bits from
 * {@link java.security.SecureRandom}); the prefix lets secret scanners find leaked ones. A token is
 * looked up by the SHA-256 of what was presented, and the stored hash compared again in constant time
 * ({@link MessageDigest#isEqual}); with 260-bit secrets a plain hash is enough (no password stretching
 * is needed, unlike for human-chosen passwords: NIST SP 800-63B §5.1.1.2 concerns memorized secrets).
 *
 * <p>Lookups are cached per replica for {@code mlpipeline.security.token-cache-ttl} (1 s), found or not:
 * a revoked or expired token is refused on every replica within that time plus one query, and a flood
 * of bad tokens costs one query per distinct token per second. {@code last_used_at} is written at most
 * once a minute per token and replica, off the request's path.
 */
@ApplicationScoped
public class ApiTokenService {

    private static final Logger LOG = Logger.getLogger(ApiTokenService.class);

    /** The prefix of every API token's secret. */
    public static final String PREFIX = "mlp_";
    static final int SECRET_LENGTH = 52;
    static final int DEFAULT_EXPIRES_IN_DAYS = 90;
    static final int MAX_EXPIRES_IN_DAYS = 3650;
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    @Inject
    ApiTokenRepository tokens;

    @Inject
    MlpipelineConfig config;

    private Cache<String, Optional<ApiTokenRepository.Found>> lookups;
    private Cache<String, Instant> touched;
    private byte[] bootstrapSha256;

    @PostConstruct
    void init() {
        lookups = Caffeine.newBuilder().expireAfterWrite(config.security().tokenCacheTtl()).maximumSize(10_000).build();
        touched = Caffeine.newBuilder().expireAfterWrite(TOUCH_EVERY).maximumSize(10_000).build();
        bootstrapSha256 = config.security().bootstrapToken().filter(t -> !t.isBlank()).map(t -> sha256(t.strip())).orElse(null);
    }

    /** A created token and its secret, to be shown once. */
    public record Created(ApiToken token, String secret) {
    }

    /**
     * Creates a token.
     *
     * @param roles         wire names, at least one; duplicates are dropped
     * @param expiresInDays 1..3650; null: 90
     * @throws InvalidInputException for a blank or too long name, no or unknown roles, or days out of range
     */
    public Uni<Created> createToken(String name, List<String> roles, Integer expiresInDays, String createdBy) {
        List<dev.mlpipeline.common.DomainException.FieldError> errors = new ArrayList<>();
        if (name == null || name.isBlank() || name.length() > 255) {
            errors.add(new dev.mlpipeline.common.DomainException.FieldError("name", "is required: 1..255 characters"));
        }
        Set<String> distinct = new LinkedHashSet<>();
        if (roles == null || roles.isEmpty()) {
            errors.add(new dev.mlpipeline.common.DomainException.FieldError("roles", "needs at least one of " + knownRoles()));
        } else {
            for (int i = 0; i < roles.size(); i++) {
                String role = roles.get(i);
                if (role == null || Role.of(role).isEmpty()) {
                    errors.add(new dev.mlpipeline.common.DomainException.FieldError("roles[" + i + "]",
                            "'" + role + "' is not a role; roles are " + knownRoles()));
                } else {
                    distinct.add(role);
                }
            }
        }
        int days = expiresInDays == null ? DEFAULT_EXPIRES_IN_DAYS : expiresInDays;
        if (days < 1 || days > MAX_EXPIRES_IN_DAYS) {
            errors.add(new dev.mlpipeline.common.DomainException.FieldError("expires_in_days", "must be 1.." + MAX_EXPIRES_IN_DAYS));
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(new InvalidInputException("The token request is invalid: " + errors.stream()
                    .map(e -> e.field() + " " + e.message()).reduce((a, b) -> a + "; " + b).orElse(""), errors));
        }
        String secret = Ids.secret(PREFIX, SECRET_LENGTH);
        return tokens.insert(Ids.next("tok"), name.strip(), List.copyOf(distinct), sha256(secret), createdBy, days)
                .map(token -> new Created(token, secret));
    }

    private static String knownRoles() {
        return java.util.Arrays.stream(Role.values()).map(Role::wireName).toList().toString();
    }

    /** Every token, newest first, without secrets. */
    public Uni<List<ApiToken>> listTokens() {
        return tokens.list();
    }

    /**
     * Revokes a token: refused at once on this replica, within {@code token-cache-ttl} on the others.
     * Revoking a revoked token changes nothing.
     *
     * @throws NotFoundException when there is no such token
     */
    public Uni<ApiToken> revokeToken(String id) {
        return tokens.revoke(id)
                .onItem().ifNull().failWith(() -> NotFoundException.of("Token", id))
                .invoke(ignored -> lookups.invalidateAll());
    }

    /** Whether the bootstrap token is configured. */
    public boolean hasBootstrapToken() {
        return bootstrapSha256 != null;
    }

    /** Whether {@code token} is the bootstrap token (constant time). */
    boolean isBootstrap(String token) {
        return bootstrapSha256 != null && MessageDigest.isEqual(bootstrapSha256, sha256(token));
    }

    /** Whether a usable admin token exists in the database. */
    Uni<Boolean> anyUsableAdmin() {
        return tokens.anyUsableAdmin();
    }

    /**
     * The identity of a bearer token: the bootstrap token ({@code admin}), or a stored API token that is
     * neither revoked nor expired.
     *
     * @throws AuthenticationFailedException (in the Uni) for anything else, saying which case it is
     */
    public Uni<SecurityIdentity> authenticate(String token) {
        if (isBootstrap(token)) {
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("bootstrap"))
                    .addRole(Role.ADMIN.wireName()).addAttribute(Actor.TOKEN_ID, "bootstrap").build());
        }
        if (!token.startsWith(PREFIX)) {
            return Uni.createFrom().failure(new AuthenticationFailedException("The bearer token is not a token of this service"
                    + " (API tokens start with " + PREFIX + ")."));
        }
        byte[] hash = sha256(token);
        String key = HexFormat.of().formatHex(hash);
        Optional<ApiTokenRepository.Found> cached = lookups.getIfPresent(key);
        Uni<Optional<ApiTokenRepository.Found>> found = cached != null ? Uni.createFrom().item(cached)
                : tokens.findBySecretSha256(hash).map(Optional::ofNullable).invoke(f -> lookups.put(key, f));
        return found.map(f -> {
            if (f.isEmpty() || !MessageDigest.isEqual(f.get().secretSha256(), hash)) {
                throw new AuthenticationFailedException("The bearer token is unknown.");
            }
            ApiToken t = f.get().token();
            if (t.revokedAt() != null) {
                throw new AuthenticationFailedException("The bearer token '" + t.name() + "' (" + t.id() + ") was revoked at " + t.revokedAt() + ".");
            }
            if (t.expiresAt() != null && !Instant.now().isBefore(t.expiresAt())) {
                throw new AuthenticationFailedException("The bearer token '" + t.name() + "' (" + t.id() + ") expired at " + t.expiresAt()
                        + "; an admin creates a new one with POST /api/tokens.");
            }
            touch(t);
            return (SecurityIdentity) QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(t.name()))
                    .addRoles(Set.copyOf(t.roles())).addAttribute(Actor.TOKEN_ID, t.id()).build();
        });
    }

    /** Writes {@code last_used_at} at most once a minute per token on this replica, without waiting for it. */
    private void touch(ApiToken t) {
        if (touched.asMap().putIfAbsent(t.id(), Instant.now()) == null) {
            tokens.touch(t.id()).subscribe().with(ignored -> {
            }, failure -> LOG.debugf("Could not record the use of token %s: %s", t.id(), failure.getMessage()));
        }
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
