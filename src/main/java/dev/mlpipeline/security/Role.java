package dev.mlpipeline.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The roles a token (or an OIDC identity, after mapping) holds. A role grants itself and the roles
 * listed in {@link #implied}: {@code trainer} and {@code deployer} include {@code viewer},
 * {@code deployer} includes {@code predictor}, {@code admin} includes everything (issue 12's table).
 */
public enum Role {
    VIEWER, PREDICTOR, TRAINER, DEPLOYER, ADMIN;

    /** The name on the wire and in the database ({@code viewer}, …). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role of that wire name, or empty. */
    public static Optional<Role> of(String wireName) {
        for (Role role : values()) {
            if (role.wireName().equals(wireName)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** Every role this one grants, itself included. */
    public Set<Role> implied() {
        return switch (this) {
            case VIEWER -> EnumSet.of(VIEWER);
            case PREDICTOR -> EnumSet.of(PREDICTOR);
            case TRAINER -> EnumSet.of(TRAINER, VIEWER);
            case DEPLOYER -> EnumSet.of(DEPLOYER, VIEWER, PREDICTOR);
            case ADMIN -> EnumSet.allOf(Role.class);
        };
    }

    /** Whether a holder of {@code held} (wire names; unknown ones ignored) may use an operation that needs {@code this}. */
    public boolean grantedBy(Set<String> held) {
        for (String name : held) {
            Optional<Role> role = of(name);
            if (role.isPresent() && role.get().implied().contains(this)) {
                return true;
            }
        }
        return false;
    }
}
