package dev.mlpipeline.jobs;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.pipeline.MemoryEstimate;
import io.quarkus.runtime.configuration.MemorySize;

/**
 * Refuses, at submission, a job whose estimated peak heap exceeds what one job may use on a replica
 * ({@code mlpipeline.jobs.memory-budget}), so that it never starts a fit that would run the replica out of memory.
 * Replicas of one deployment share their heap settings, so the replica that accepts a job judges for the one that
 * runs it. A fit that still runs out of memory (several large jobs at once, or an estimate exceeded) ends FAILED at
 * once with a message saying so ({@link JobFailures}).
 */
@ApplicationScoped
public class MemoryAdmission {

    /** Share of the maximum heap one job may use when no budget is configured. */
    static final double DEFAULT_SHARE = 0.8;

    @Inject
    MlpipelineConfig config;

    /** @return the heap one job may use, in bytes */
    public long budget() {
        return config.jobs().memoryBudget().map(MemorySize::asLongValue)
                .orElse((long) (Runtime.getRuntime().maxMemory() * DEFAULT_SHARE));
    }

    /**
     * @param estimate the job's estimated peak heap
     * @throws InvalidInputException (400) naming how much the job needs, the budget, and what to change
     */
    public void check(MemoryEstimate estimate) {
        long budget = budget();
        if (estimate.bytes() <= budget) return;
        String message = "this job needs about " + estimate.mebibytes() + " MiB of heap (data "
                + (estimate.data() >> 20) + " MiB, model " + (estimate.model() >> 20) + " MiB, with GC headroom), more than"
                + " the " + (budget >> 20) + " MiB one job may use on a replica (mlpipeline.jobs.memory-budget; by default"
                + " 80 % of the maximum heap): " + estimate.advice() + ", or give the replicas more memory";
        throw new InvalidInputException("The job would not fit in memory: " + message,
                List.of(new dev.mlpipeline.common.DomainException.FieldError("hyperparameters", message)));
    }
}
