package dev.mlpipeline.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipeline.common.ConflictException;
import dev.mlpipeline.common.DomainException.FieldError;
import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.pipeline.Task;
import dev.mlpipeline.registry.RegistryMetadataRepository.VersionRef;
import dev.mlpipeline.registry.dto.ModelAliasResponse;
import dev.mlpipeline.registry.dto.ModelVersionComparisonResponse;
import dev.mlpipeline.registry.dto.ModelVersionLineageResponse;
import dev.mlpipeline.registry.dto.SetModelAliasRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * What users add to the registry's versions (issue 13), in MLflow's terms: aliases (a name such as
 * {@code champion} pointing at one version of a (dataset, model type)), tags and a description
 * (changed by JSON merge patch, RFC 7386), the archive flag (an archived version is hidden from the
 * registry views unless asked for, and can be neither deployed nor aliased), and the comparison of
 * versions. The rows are keyed by job id (V5); the versions themselves stay the job tables' rows.
 */
@ApplicationScoped
public class RegistryMetadataService {

    /** Alias names: a lowercase slug of 1..63 characters. */
    static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    /** Aliases MLflow reserves: {@code latest} and {@code v<number>} would read as version selectors. */
    static final Pattern RESERVED_ALIAS = Pattern.compile("latest|v[0-9]+");
    /** Tag keys: 1..64 characters, no ':' (the separator of {@code ?tag=key:value}). */
    static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_./-]{0,63}");
    static final int MAX_TAG_VALUE = 256;
    static final int MAX_TAGS_PER_PATCH = 50;
    static final int MAX_DESCRIPTION = 5000;
    static final int MAX_COMPARED = 10;

    @Inject
    RegistryMetadataRepository metadata;

    @Inject
    RegistryRepository registry;

    @Inject
    ModelRegistryService versions;

    @Inject
    ObjectMapper json;

    /**
     * Points {@code alias} at version {@code request.version} of (request.dataset_id, model type),
     * creating it or moving it in one atomic upsert.
     *
     * @throws InvalidInputException for a bad alias name or a missing field
     * @throws NotFoundException     for an unknown model type or version
     * @throws ConflictException     when the version is archived
     */
    public Uni<ModelAliasResponse> setModelAlias(String modelType, String alias, SetModelAliasRequest request) {
        ModelRegistryService.requireKnownModelType(modelType);
        checkAlias(alias);
        if (request == null) {
            throw InvalidInputException.forField("dataset_id", "is required: send {\"dataset_id\": \"ds_…\", \"version\": 1}");
        }
        List<FieldError> errors = new ArrayList<>();
        if (request.datasetId() == null || request.datasetId().isBlank()) {
            errors.add(new FieldError("dataset_id", "is required: the dataset of the (dataset, model type)"));
        }
        if (request.version() == null || request.version() < 1) {
            errors.add(new FieldError("version", "is required: a positive version number"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException("Send {\"dataset_id\": \"ds_…\", \"version\": 1}: "
                    + errors.stream().map(e -> e.field() + " " + e.message()).reduce((a, b) -> a + "; " + b).orElseThrow(), errors);
        }
        String datasetId = request.datasetId().strip();
        int version = request.version();
        return metadata.setAlias(datasetId, modelType, alias, version).map(outcome -> switch (outcome.status()) {
            case NO_SUCH_VERSION -> throw noSuchVersion(modelType, version, datasetId);
            case ARCHIVED -> throw new ConflictException("Version " + version + " of " + modelType + " on dataset '" + datasetId
                    + "' is archived and cannot be aliased; unarchive it first (POST …/versions/" + version + "/unarchive).");
            case SET -> new ModelAliasResponse(alias, modelType, datasetId, version, outcome.target().jobId(),
                    outcome.target().source(), outcome.previousVersion(), outcome.updatedAt());
        });
    }

    /**
     * Removes the alias.
     *
     * @throws NotFoundException when the (dataset, model type) has no such alias
     */
    public Uni<Void> deleteModelAlias(String modelType, String alias, String datasetId) {
        ModelRegistryService.requireKnownModelType(modelType);
        checkAlias(alias);
        requireDataset(datasetId);
        return metadata.deleteAlias(datasetId, modelType, alias).map(deleted -> {
            if (!deleted) {
                throw noSuchAlias(modelType, alias, datasetId);
            }
            return null;
        });
    }

    /**
     * The version an alias points at, with its lineage.
     *
     * @throws NotFoundException for an unknown model type or alias
     */
    public Uni<ModelVersionLineageResponse> getModelAlias(String modelType, String alias, String datasetId) {
        ModelRegistryService.requireKnownModelType(modelType);
        checkAlias(alias);
        requireDataset(datasetId);
        return metadata.findAlias(datasetId, modelType, alias)
                .onItem().ifNull().failWith(() -> noSuchAlias(modelType, alias, datasetId))
                .flatMap(ref -> versions.getModelVersion(modelType, ref.version(), datasetId));
    }

    /**
     * Applies a JSON merge patch (RFC 7386) to the version's description and tags: an absent member
     * is left unchanged, {@code null} removes (the description, one tag, or all tags for
     * {@code "tags": null}), a string sets. The patch is applied atomically in the database, so two
     * concurrent patches of different tags both take effect.
     *
     * @param body the patch document, as sent
     * @throws InvalidInputException for a patch that is not such an object (nothing is changed)
     * @throws NotFoundException     for an unknown model type or version
     */
    public Uni<ModelVersionLineageResponse> updateModelVersion(String modelType, int version, String datasetId, String body) {
        ModelRegistryService.requireKnownModelType(modelType);
        Patch patch = parsePatch(body);
        return resolve(modelType, version, datasetId).flatMap(v -> metadata.patch(v.ref().jobId(), patch.setDescription(),
                patch.description(), patch.clearTags(), patch.setTags(), patch.removeTags())
                .chain(() -> versions.getModelVersion(modelType, version, v.datasetId())));
    }

    /**
     * Archives a version: it leaves the registry views (unless {@code include_archived=true}) and can
     * no longer be deployed nor aliased; its number is never reused. Archiving an archived version
     * changes nothing.
     *
     * @throws NotFoundException for an unknown model type or version
     * @throws ConflictException when the version is the active deployment or an alias points at it
     */
    public Uni<ModelVersionLineageResponse> archiveModelVersion(String modelType, int version, String datasetId) {
        ModelRegistryService.requireKnownModelType(modelType);
        return resolve(modelType, version, datasetId).flatMap(v -> metadata.archive(v.ref().jobId())
                .map(outcome -> switch (outcome.status()) {
                    case DEPLOYED -> throw new ConflictException("Version " + version + " of " + modelType + " on dataset '"
                            + v.datasetId() + "' is the active deployment and serves traffic; deploy another version or "
                            + "undeploy (DELETE /api/deployments/active) before archiving it.");
                    case ALIASED -> throw new ConflictException("Version " + version + " of " + modelType + " on dataset '"
                            + v.datasetId() + "' is aliased as " + String.join(", ", outcome.aliases())
                            + "; move or delete the alias (PUT or DELETE /api/registry/models/" + modelType
                            + "/aliases/{alias}) before archiving it.");
                    case ARCHIVED -> v;
                })
                .flatMap(x -> versions.getModelVersion(modelType, version, v.datasetId())));
    }

    /**
     * Makes an archived version listed, deployable and aliasable again (nothing changes for one that
     * is not archived).
     *
     * @throws NotFoundException for an unknown model type or version
     */
    public Uni<ModelVersionLineageResponse> unarchiveModelVersion(String modelType, int version, String datasetId) {
        ModelRegistryService.requireKnownModelType(modelType);
        return resolve(modelType, version, datasetId).flatMap(v -> metadata.unarchive(v.ref().jobId())
                .chain(() -> versions.getModelVersion(modelType, version, v.datasetId())));
    }

    /**
     * Compares 2..10 versions of (dataset, model type), archived ones included: their metrics side by
     * side, the hyperparameters that differ, and the best by the task's main metric.
     *
     * @param versionList the versions as sent ({@code 1,3,4}), compared in that order
     * @throws InvalidInputException for a bad list, or versions of different tasks
     * @throws NotFoundException     for an unknown model type or a version that does not exist
     */
    public Uni<ModelVersionComparisonResponse> compareModelVersions(String modelType, String datasetId, String versionList) {
        ModelRegistryService.requireKnownModelType(modelType);
        List<Integer> wanted = parseVersions(versionList);
        return versions.resolveDataset(modelType, datasetId).flatMap(ds -> registry.findVersionsToCompare(ds, modelType, wanted)
                .map(rows -> {
                    Map<Integer, RegistryRepository.ComparedRow> byVersion = new HashMap<>();
                    rows.forEach(r -> byVersion.put(r.version(), r));
                    List<Integer> missing = wanted.stream().filter(v -> !byVersion.containsKey(v)).toList();
                    if (!missing.isEmpty()) {
                        throw new NotFoundException("Version" + (missing.size() > 1 ? "s " : " ") + missing.toString().replaceAll("[\\[\\] ]", "")
                                + " of model type '" + modelType + "' on dataset '" + ds + "' do" + (missing.size() > 1 ? "" : "es")
                                + " not exist.");
                    }
                    Set<String> tasks = new LinkedHashSet<>();
                    rows.forEach(r -> tasks.add(r.task()));
                    if (tasks.size() > 1) {
                        throw InvalidInputException.forField("versions", "the versions solve different tasks (" + String.join(", ", tasks)
                                + "); compare versions of one task");
                    }
                    List<VersionComparison.Candidate> candidates = new ArrayList<>();
                    for (int v : wanted) {
                        RegistryRepository.ComparedRow r = byVersion.get(v);
                        candidates.add(new VersionComparison.Candidate(
                                new ModelVersionComparisonResponse.ComparedVersion(r.version(), r.jobId(), r.source(), r.createdAt(),
                                        r.aliases(), r.archived()),
                                tree(r.metrics()), tree(r.hyperparameters()),
                                r.featureImportance() == null ? null : tree(r.featureImportance())));
                    }
                    RegistryRepository.ComparedRow first = byVersion.get(wanted.getFirst());
                    return VersionComparison.compare(modelType, ds, first.datasetName(), Task.fromWire(first.task()), candidates);
                }));
    }

    /**
     * The job a deploy request names, in one of its three forms: {@code job_id}; or (model_type,
     * dataset_id, version); or (model_type, dataset_id, alias).
     *
     * @param jobId     the job id form, or null
     * @param modelType with datasetId and one of version and alias, or null
     * @return the job id to deploy, after checking that its version is not archived
     * @throws NotFoundException for an unknown model type, version, alias or job
     * @throws ConflictException when the version is archived
     */
    public Uni<String> resolveDeployTarget(String jobId, String modelType, String datasetId, Integer version, String alias) {
        if (jobId != null) {
            return metadata.isArchived(jobId).map(archived -> {
                if (archived) {
                    throw archivedDeploy("The version of job '" + jobId + "'");
                }
                return jobId;
            });
        }
        ModelRegistryService.requireKnownModelType(modelType);
        Uni<VersionRef> ref;
        if (alias != null) {
            checkAlias(alias);
            ref = metadata.findAlias(datasetId, modelType, alias)
                    .onItem().ifNull().failWith(() -> noSuchAlias(modelType, alias, datasetId));
        } else {
            ref = metadata.findVersion(datasetId, modelType, version)
                    .onItem().ifNull().failWith(() -> noSuchVersion(modelType, version, datasetId));
        }
        return ref.map(r -> {
            if (r.archived()) {
                throw archivedDeploy("Version " + r.version() + " of " + modelType + " on dataset '" + datasetId + "'");
            }
            return r.jobId();
        });
    }

    /** True when the failure is the V5 trigger refusing to deploy an archived version (a deploy racing an archive). */
    public static boolean isArchivedDeployRefusal(Throwable t) {
        return t instanceof io.vertx.pgclient.PgException pg && "deployment_not_archived".equals(pg.getConstraint());
    }

    /** The 409 of deploying an archived version. */
    public static ConflictException archivedDeploy(String what) {
        return new ConflictException(what + " is archived and cannot be deployed; unarchive it first "
                + "(POST /api/registry/models/{model_type}/versions/{version}/unarchive).");
    }

    /** A version and the dataset it was resolved on. */
    private record Resolved(String datasetId, VersionRef ref) {
    }

    private Uni<Resolved> resolve(String modelType, int version, String datasetId) {
        return versions.resolveDataset(modelType, datasetId).flatMap(ds -> metadata.findVersion(ds, modelType, version)
                .onItem().ifNull().failWith(() -> noSuchVersion(modelType, version, ds))
                .map(ref -> new Resolved(ds, ref)));
    }

    static void checkAlias(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw InvalidInputException.forField("alias", "'" + abbreviate(alias) + "' is not an alias name: use 1..63 lowercase "
                    + "letters, digits, '_' and '-', starting with a letter (e.g. champion, challenger, prod-eu)");
        }
        if (RESERVED_ALIAS.matcher(alias).matches()) {
            throw InvalidInputException.forField("alias", "'" + alias + "' is reserved ('latest' and 'v<number>' read as version "
                    + "selectors); choose another name");
        }
    }

    private static void requireDataset(String datasetId) {
        if (datasetId == null || datasetId.isBlank()) {
            throw InvalidInputException.forField("dataset_id", "required query parameter is missing: an alias belongs to "
                    + "one (dataset, model type)");
        }
    }

    private static NotFoundException noSuchVersion(String modelType, int version, String datasetId) {
        return new NotFoundException("Version " + version + " of model type '" + modelType + "' on dataset '" + datasetId
                + "' does not exist");
    }

    private static NotFoundException noSuchAlias(String modelType, String alias, String datasetId) {
        return new NotFoundException("Model type '" + modelType + "' on dataset '" + datasetId + "' has no alias '" + alias + "'");
    }

    private static List<Integer> parseVersions(String list) {
        if (list == null || list.isBlank()) {
            throw InvalidInputException.forField("versions", "required: 2 to " + MAX_COMPARED + " version numbers, comma-separated (e.g. 1,3,4)");
        }
        Set<Integer> out = new LinkedHashSet<>();
        for (String part : list.split(",", -1)) {
            int v;
            try {
                v = Integer.parseInt(part.strip());
            } catch (NumberFormatException e) {
                throw InvalidInputException.forField("versions", "'" + abbreviate(part) + "' is not a version number; send e.g. 1,3,4");
            }
            if (v < 1) {
                throw InvalidInputException.forField("versions", "versions are positive, got " + v);
            }
            if (!out.add(v)) {
                throw InvalidInputException.forField("versions", "version " + v + " is listed twice");
            }
        }
        if (out.size() < 2 || out.size() > MAX_COMPARED) {
            throw InvalidInputException.forField("versions", "compare 2 to " + MAX_COMPARED + " versions, got " + out.size());
        }
        return List.copyOf(out);
    }

    /** A parsed merge patch. */
    record Patch(boolean setDescription, String description, boolean clearTags, JsonObject setTags, List<String> removeTags) {
    }

    /**
     * Reads and checks a merge patch of {@code {"description", "tags"}}; every problem is reported
     * at once, as field errors.
     */
    Patch parsePatch(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidInputException("Send a JSON merge patch, e.g. {\"description\": \"…\", \"tags\": {\"team\": \"fraud\"}}.");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("The body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException("A merge patch here is a JSON object with \"description\" and/or \"tags\".");
        }
        List<FieldError> errors = new ArrayList<>();
        boolean setDescription = false;
        String description = null;
        boolean clearTags = false;
        JsonObject setTags = new JsonObject();
        List<String> removeTags = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator(); it.hasNext();) {
            Map.Entry<String, JsonNode> member = it.next();
            JsonNode value = member.getValue();
            switch (member.getKey()) {
                case "description" -> {
                    setDescription = true;
                    if (value.isNull()) {
                        description = null;
                    } else if (!value.isTextual()) {
                        errors.add(new FieldError("description", "must be a string, or null to remove it"));
                    } else if (value.textValue().length() > MAX_DESCRIPTION) {
                        errors.add(new FieldError("description", "at most " + MAX_DESCRIPTION + " characters"));
                    } else if (value.textValue().indexOf('\0') >= 0) {
                        errors.add(new FieldError("description", "must not contain NUL characters"));
                    } else {
                        description = value.textValue();
                    }
                }
                case "tags" -> {
                    if (value.isNull()) {
                        clearTags = true;
                    } else if (!value.isObject()) {
                        errors.add(new FieldError("tags", "must be an object of tag values (strings, or null to remove a tag)"));
                    } else if (value.size() > MAX_TAGS_PER_PATCH) {
                        errors.add(new FieldError("tags", "at most " + MAX_TAGS_PER_PATCH + " tags per patch, got " + value.size()));
                    } else {
                        value.properties().forEach(tag -> {
                            String key = tag.getKey();
                            JsonNode v = tag.getValue();
                            String field = "tags." + abbreviate(key);
                            if (!TAG_KEY.matcher(key).matches()) {
                                errors.add(new FieldError(field, "is not a tag key: use 1..64 letters, digits, '_', '.', '/' and '-', "
                                        + "starting with a letter or digit"));
                            } else if (v.isNull()) {
                                removeTags.add(key);
                            } else if (!v.isTextual()) {
                                errors.add(new FieldError(field, "tag values are strings (or null to remove the tag)"));
                            } else if (v.textValue().length() > MAX_TAG_VALUE) {
                                errors.add(new FieldError(field, "at most " + MAX_TAG_VALUE + " characters"));
                            } else if (v.textValue().indexOf('\0') >= 0) {
                                errors.add(new FieldError(field, "must not contain NUL characters"));
                            } else {
                                setTags.put(key, v.textValue());
                            }
                        });
                    }
                }
                default -> errors.add(new FieldError(abbreviate(member.getKey()), "unknown field; known fields are: description, tags"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors.stream().map(e -> e.field() + ": " + e.message())
                    .reduce((a, b) -> a + "; " + b).orElseThrow(), errors);
        }
        return new Patch(setDescription, description, clearTags, setTags, removeTags);
    }

    private JsonNode tree(String text) {
        try {
            return text == null ? json.createObjectNode() : json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored jsonb is not JSON", e);
        }
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String clean = s.replace('\0', '?');
        return clean.length() > 64 ? clean.substring(0, 64) + "…" : clean;
    }
}
