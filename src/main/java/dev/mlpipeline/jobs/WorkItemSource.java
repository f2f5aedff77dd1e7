package dev.mlpipeline.jobs;

import java.util.Optional;

import io.smallrye.mutiny.Uni;

/**
 * Work that the {@link JobScheduler} gives to this replica's free workers besides whole jobs, taken
 * from a queue in the database that every replica shares: the trials of tuning jobs. Implementations
 * are CDI beans. The scheduler asks for an item only when no job is waiting and a worker is free; a
 * claimed item holds that worker until its run ends. The source keeps the heartbeat of its own items
 * and hands them back to its queue when the replica shuts down.
 */
public interface WorkItemSource {

    /**
     * Claims one item for {@code owner} (the replica name written to {@code claimed_by}), if there is one.
     *
     * @return the run of the claimed item, subscribed to once (it must not fail: the source records its
     *         own failures), or empty when nothing is waiting
     */
    Uni<Optional<Uni<Void>>> claimNext(String owner);
}
