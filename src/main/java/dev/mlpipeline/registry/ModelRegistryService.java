package dev.mlpipeline.registry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.pipeline.ModelCatalog;
import dev.mlpipeline.registry.RegistryRepository.ListedVersion;
import dev.mlpipeline.registry.dto.ModelEntryResponse;
import dev.mlpipeline.registry.dto.ModelVersionLineageResponse;
import dev.mlpipeline.registry.dto.ModelVersionResponse;
import dev.mlpipeline.registry.dto.NextVersionResponse;
import dev.mlpipeline.registry.dto.RegistryStatsResponse;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The model registry: a read-only view over the COMPLETED rows of {@code training_job} and
 * {@code tuning_job}, derived on read (it stores nothing of its own; a page read is kept only while the
 * registry generation it was read under is current, {@link RegistryPageCache}), joined with the metadata users
 * add by job id (aliases, tags, description, archive flag: {@link RegistryMetadataService}). Versions of both tables are read in
 * one SQL stream ordered by (dataset_id, model_type, version DESC) and grouped on the fly into one
 * entry per (dataset_id, model_type): memory holds one entry at a time, never a table.
 */
@ApplicationScoped
public class ModelRegistryService {

    public static final int MAX_PAGE_SIZE = 1000;

    @Inject
    RegistryRepository repository;

    @Inject
    RegistryPageCache cache;

    /**
     * Every entry matching the filter (after the cursor, if any), in (dataset_id, model_type) order,
     * each with its versions newest first; streamed: an entry is emitted as soon as the first row of
     * the next one is read.
     */
    public Multi<ModelEntryResponse> listModels(ModelFilter filter, RegistryCursor after) {
        return Runs.of(repository.streamVersions(filter, after, null), ListedVersion::key).map(ModelRegistryService::toEntry);
    }

    /**
     * At most {@code page.limit()} entries after the page's cursor, and the cursor of the next page
     * when one exists; from this replica's page cache while nothing in the registry changed since it
     * was read ({@link RegistryPageCache}).
     */
    public Uni<ModelPage> listModels(ModelFilter filter, PageRequest page) {
        return repository.generation().flatMap(generation -> cache.get(
                new RegistryPageCache.Key(generation, filter, page, false),
                () -> readPage(filter, page).map(p -> new RegistryPageCache.ObjectPage(p, weight(p)))))
                .map(RegistryPageCache.ObjectPage::page);
    }

    /**
     * As {@link #listModels(ModelFilter, PageRequest)}, each entry already written as UTF-8 JSON by
     * {@code mapper} (the REST layer's, so the same text): a page served again from the cache is neither
     * read nor serialized again, its bytes are written as they are.
     */
    public Uni<JsonModelPage> listModelsJson(ModelFilter filter, PageRequest page, ObjectMapper mapper) {
        return repository.generation().flatMap(generation -> cache.<RegistryPageCache.JsonPage>get(
                new RegistryPageCache.Key(generation, filter, page, true),
                () -> readPage(filter, page).map(p -> {
                    List<byte[]> json = new ArrayList<>(p.entries().size());
                    long bytes = 64;
                    for (ModelEntryResponse e : p.entries()) {
                        byte[] j = write(mapper, e);
                        json.add(j);
                        bytes += j.length + 32L;
                    }
                    return new RegistryPageCache.JsonPage(json, p.nextCursor(), bytes);
                })))
                .map(p -> new JsonModelPage(p.entries(), p.nextCursor()));
    }

    /**
     * A page of entries, each the UTF-8 JSON of a {@link ModelEntryResponse}, and the cursor of the next
     * page (null on the last page).
     */
    public record JsonModelPage(List<byte[]> entries, String nextCursor) {
    }

    private static byte[] write(ObjectMapper mapper, ModelEntryResponse entry) {
        try {
            return mapper.writeValueAsBytes(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("registry entry cannot be written as JSON", e);
        }
    }

    /** Rough heap size of a page of objects: its strings (1 byte a character) and per-object overheads. */
    private static long weight(ModelPage page) {
        long bytes = 64;
        for (ModelEntryResponse e : page.entries()) {
            bytes += 128;
            for (ModelVersionResponse v : e.versions()) {
                bytes += 320 + len(v.metrics()) + len(v.hyperparameters()) + len(v.tags()) + len(v.description());
            }
        }
        return bytes;
    }

    private static int len(String s) {
        return s == null ? 0 : s.length();
    }

    /**
     * The page read from PostgreSQL. The version stream is cancelled (its cursor closed) once the page
     * is full.
     */
    private Uni<ModelPage> readPage(ModelFilter filter, PageRequest page) {
        // SQL reads the page's pairs and the one after it (whose presence gives the next cursor)
        return Runs.of(repository.streamVersions(filter, page.after(), page.limit() + 1), ListedVersion::key)
                .select().first(page.limit())
                .collect().asList()
                .map(runs -> {
                    List<ModelEntryResponse> entries = runs.stream().map(ModelRegistryService::toEntry).toList();
                    boolean more = !runs.isEmpty() && runs.getLast().followed() && runs.size() == page.limit();
                    String next = more ? runs.getLast().key().encode() : null;
                    return new ModelPage(entries, next);
                });
    }

    /**
     * The versions of one model type (optionally on one dataset), grouped by dataset and newest
     * first within a dataset.
     *
     * @throws NotFoundException for a model type the catalog does not know
     */
    public Multi<ModelVersionResponse> getModelVersions(String modelType, String datasetId) {
        return getModelVersions(modelType, new ModelFilter(datasetId, modelType, null));
    }

    /**
     * As {@link #getModelVersions(String, String)}, with the filter's tags and archive flag
     * ({@code filter.modelType()} is {@code modelType}).
     */
    public Multi<ModelVersionResponse> getModelVersions(String modelType, ModelFilter filter) {
        requireKnownModelType(modelType);
        return repository.streamVersions(filter, null, null).map(ListedVersion::version);
    }

    /**
     * The version the next job completing for (dataset, model type) will get: the shared counter's
     * last version + 1 (training and tuning jobs take versions from the same sequence, so
     * {@code jobType} is validated but does not change the number).
     *
     * @throws InvalidInputException for a missing parameter, an unknown model type or job type
     * @throws NotFoundException     for an unknown dataset
     */
    public Uni<NextVersionResponse> getNextVersion(String datasetId, String modelType, String jobType) {
        require("dataset_id", datasetId);
        require("model_type", modelType);
        require("job_type", jobType);
        if (ModelCatalog.find(modelType).isEmpty()) {
            throw InvalidInputException.forField("model_type", "unknown model type '" + modelType + "'; see GET /api/model-types");
        }
        if (!RegistryRepository.TRAINING.equals(jobType) && !RegistryRepository.TUNING.equals(jobType)) {
            throw InvalidInputException.forField("job_type", "must be 'training' or 'tuning', got '" + jobType + "'");
        }
        return repository.nextVersion(datasetId, modelType)
                .onItem().ifNull().failWith(() -> NotFoundException.of("Dataset", datasetId))
                .map(NextVersionResponse::new);
    }

    /**
     * Counts over all versions (archived ones included, and counted apart), the active deployment and
     * the best unarchived version of every model.
     */
    public Uni<RegistryStatsResponse> getStats() {
        Uni<StatsAccumulator> counts = repository.streamStats()
                .collect().in(StatsAccumulator::new, StatsAccumulator::add);
        return Uni.combine().all().unis(counts, repository.activeDeployment(), repository.archivedVersions()).asTuple()
                .map(t -> t.getItem1().result(t.getItem2(), t.getItem3()));
    }

    /**
     * One version with its lineage. Without {@code datasetId} the model type must have versions on
     * a single dataset.
     *
     * @throws NotFoundException     for an unknown model type or a version that does not exist
     * @throws InvalidInputException when dataset_id is needed to tell datasets apart
     */
    public Uni<ModelVersionLineageResponse> getModelVersion(String modelType, int version, String datasetId) {
        requireKnownModelType(modelType);
        return resolveDataset(modelType, datasetId).flatMap(ds -> repository.findVersion(ds, modelType, version)
                .onItem().ifNull().failWith(() -> new NotFoundException("Version " + version + " of model type '"
                        + modelType + "' on dataset '" + ds + "' does not exist")));
    }

    /**
     * {@code datasetId} when given, else the one dataset the model type has versions on.
     *
     * @throws NotFoundException     when the model type has no versions (and no dataset is given)
     * @throws InvalidInputException when it has versions on several datasets and none is given
     */
    Uni<String> resolveDataset(String modelType, String datasetId) {
        return datasetId != null ? Uni.createFrom().item(datasetId)
                : repository.datasetsWithVersions(modelType).map(ids -> {
                    if (ids.isEmpty()) {
                        throw new NotFoundException("Model type '" + modelType + "' has no versions");
                    }
                    if (ids.size() > 1) {
                        throw InvalidInputException.forField("dataset_id", "required: model type '" + modelType
                                + "' has versions on several datasets; name one of them");
                    }
                    return ids.getFirst();
                });
    }

    static void requireKnownModelType(String modelType) {
        if (ModelCatalog.find(modelType).isEmpty()) {
            throw NotFoundException.of("Model type", modelType);
        }
    }

    private static void require(String name, String value) {
        if (value == null || value.isBlank()) {
            throw InvalidInputException.forField(name, "required query parameter is missing");
        }
    }

    private static ModelEntryResponse toEntry(Runs.Run<RegistryCursor, ListedVersion> run) {
        ListedVersion first = run.items().getFirst();
        List<ModelVersionResponse> versions = new ArrayList<>(run.items().size());
        for (ListedVersion l : run.items()) {
            versions.add(l.version());
        }
        ModelVersionResponse newest = first.version();
        return new ModelEntryResponse(newest.modelType(), newest.datasetId(), newest.datasetName(),
                newest.version(), first.deployedVersion(), versions);
    }

    /** Folds the per-(pair, task) stats rows; holds only per-model-type counts and the best list. */
    private static final class StatsAccumulator {
        private long models;
        private long training;
        private long tuning;
        private final Set<String> datasets = new HashSet<>();
        private final Map<String, Long> perType = new TreeMap<>();
        private final List<RegistryStatsResponse.BestMetric> best = new ArrayList<>();
        private String lastDataset;
        private String lastType;

        void add(RegistryRepository.PairStats r) {
            String datasetId = r.datasetId();
            String modelType = r.modelType();
            boolean samePair = datasetId.equals(lastDataset) && modelType.equals(lastType);
            if (!samePair) {
                lastDataset = datasetId;
                lastType = modelType;
                long all = r.versions();
                long tun = r.tuning();
                long trn = all - tun;
                if (all > 0) {
                    models++;
                    training += trn;
                    tuning += tun;
                    datasets.add(datasetId);
                    perType.merge(modelType, trn + tun, Long::sum);
                }
            }
            if (r.best() != null) {
                best.add(r.best());
            }
        }

        RegistryStatsResponse result(RegistryStatsResponse.ActiveDeployment active, long archived) {
            return new RegistryStatsResponse(models, training + tuning, training, tuning, archived, datasets.size(), active,
                    perType, best);
        }
    }
}
