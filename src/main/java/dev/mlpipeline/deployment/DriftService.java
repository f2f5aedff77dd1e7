package dev.mlpipeline.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipeline.common.ConflictException;
import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.common.Offload;
import dev.mlpipeline.jobs.JobKind;
import dev.mlpipeline.pipeline.Drift;
import dev.mlpipeline.pipeline.TrainingProfile;
import io.smallrye.mutiny.Uni;

/**
 * Drift of the active deployment's live inputs: reads the version's stored {@link TrainingProfile} and
 * the newest logged rows of a time window ({@link PredictionLog}), and compares them
 * ({@link Drift#compare}) on a worker thread. The dataset is never read.
 */
@ApplicationScoped
public class DriftService {

    /** Window bounds accepted: PostgreSQL timestamps and ISO-8601 both cover these years. */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    @Inject
    DeploymentService deployments;

    @Inject
    PredictionLogRepository log;

    @Inject
    MlpipelineConfig config;

    /** The deployment whose logged rows are compared. */
    public record Target(String deploymentId, String jobId, String source, String modelType, int version) {
    }

    /**
     * A drift computation.
     *
     * @param truncated true when the window held more rows than {@code mlpipeline.drift.max-rows}
     * @param threshold the PSI above which a feature is flagged
     */
    public record Result(Target target, Instant since, Instant until, Drift.Report report, boolean truncated, double threshold) {
    }

    /**
     * Drift of the active deployment over {@code [since, until)}.
     *
     * @param since null: {@code until} minus {@code mlpipeline.drift.window} (one hour)
     * @param until null: now
     * @throws InvalidInputException (400) when {@code since} is not before {@code until}, or either is
     *                               outside the years 1970..9999
     * @throws NotFoundException     (404) when nothing is deployed
     * @throws ConflictException     (409) when the deployed version has no training profile (trained
     *                               before profiles were stored)
     */
    public Uni<Result> getDrift(Instant since, Instant until) {
        check("since", since);
        check("until", until);
        Instant end = until != null ? until : Instant.now();
        Instant start = since != null ? since : end.minus(config.drift().window());
        if (!start.isBefore(end)) {
            throw InvalidInputException.forField(since != null ? "since" : "until", "the window is empty: since (" + start
                    + ") must be before until (" + end + ")");
        }
        return deployments.getActiveDeployment()
                .flatMap(d -> compute(new Target(d.id, d.jobId, d.source, d.modelType, d.version), start, end));
    }

    private static void check(String name, Instant at) {
        if (at != null && (at.isBefore(EARLIEST) || at.isAfter(LATEST))) {
            throw InvalidInputException.forField(name, "must be between " + EARLIEST + " and " + LATEST + ", got " + at);
        }
    }

    /** Drift of {@code target}'s logged rows in {@code [since, until)} (no checks: callers pass a valid window). */
    Uni<Result> compute(Target target, Instant since, Instant until) {
        JobKind kind = JobKind.ofJobId(target.jobId()).orElseThrow(() -> new NotFoundException("Job '" + target.jobId() + "' does not exist."));
        int maxRows = config.drift().maxRows();
        double threshold = config.drift().psiThreshold();
        return log.findProfile(kind, target.jobId())
                .flatMap(profile -> {
                    if (profile == null) {
                        return Uni.createFrom().failure(new NotFoundException("Job '" + target.jobId() + "' of the active deployment does not exist."));
                    }
                    if (profile.length == 0) {
                        return Uni.createFrom().failure(new ConflictException("The active deployment's version (" + target.modelType() + " v"
                                + target.version() + ", job " + target.jobId() + ") has no training profile: it was trained before profiles"
                                + " were stored. Train it again (or deploy a newer version) to measure drift."));
                    }
                    return log.findBatches(target.deploymentId(), since, until, maxRows)
                            .flatMap(batches -> Offload.io(() -> compare(target, since, until, profile, batches, maxRows, threshold)));
                });
    }

    private static Result compare(Target target, Instant since, Instant until, byte[] profileJson, List<byte[]> batches, int maxRows,
            double threshold) {
        TrainingProfile profile = TrainingProfile.fromMap(read(profileJson));
        long from = since.toEpochMilli();
        long to = until.toEpochMilli();
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Object> predictions = new ArrayList<>();
        boolean truncated = false;
        // Batches come newest first; within one, rows are in arrival order: take the newest first.
        for (byte[] bytes : batches) {
            Map<String, Object> batch = read(bytes);
            List<?> at = (List<?>) batch.get("at");
            List<?> predicted = (List<?>) batch.get("predictions");
            // a batch names its features once and holds each input as the array of their values; batches
            // written by earlier versions of the service hold each input as an object
            List<?> features = (List<?>) batch.get("features");
            List<?> inputs = features == null ? (List<?>) batch.get("inputs") : (List<?>) batch.get("values");
            for (int i = at.size() - 1; i >= 0; i--) {
                long t = ((Number) at.get(i)).longValue();
                if (t < from || t >= to) {
                    continue;
                }
                if (rows.size() == maxRows) {
                    truncated = true;
                    break;
                }
                rows.add(features == null ? asRow(inputs.get(i)) : asRow(features, (List<?>) inputs.get(i)));
                predictions.add(predicted.get(i));
            }
        }
        return new Result(target, since, until, Drift.compare(profile, rows, predictions, threshold), truncated, threshold);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asRow(Object input) {
        return (Map<String, Object>) input;
    }

    /** An input logged as the values of {@code features}, in order, as the row predict read (null: absent). */
    private static Map<String, Object> asRow(List<?> features, List<?> values) {
        Map<String, Object> row = HashMap.newHashMap(features.size());
        for (int j = 0; j < features.size(); j++) {
            if (values.get(j) != null) {
                row.put((String) features.get(j), values.get(j));
            }
        }
        return row;
    }

    private static Map<String, Object> read(byte[] json) {
        try {
            return JSON.readValue(json, MAP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
