package dev.mlpipeline.registry;

/**
 * A page of registry entries: those after {@code after} (null: from the first), at most
 * {@code limit} of them.
 */
public record PageRequest(RegistryCursor after, int limit) {
}
