package dev.mlpipeline.security;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Who may call what: the one table, keyed by OpenAPI operationId (the resource method's name), of the
 * role each {@code /api} operation needs and whether it changes anything (and so is audited). A new
 * operation is added here with one line; {@code RoleMatrixTest} fails for any operation in
 * {@code /q/openapi} that is missing. At run time an operation missing from the table needs
 * {@code admin} (fail closed) and is audited.
 *
 * <p>Roles (issue 12): {@code viewer} every GET; {@code predictor} inference; {@code trainer} uploads,
 * training and tuning; {@code deployer} deploy, undeploy, rollback; {@code admin} everything, including
 * deleting datasets, tokens and the audit log. See {@link Role#implied()} for what each role includes.
 */
public final class AccessPolicy {

    /**
     * What an operation needs.
     *
     * @param role     the role needed; null: open without a token (the session endpoints)
     * @param mutation whether it changes state, and so is written to the audit trail (allowed or refused)
     */
    public record Access(Role role, boolean mutation) {

        public boolean open() {
            return role == null;
        }

        /**
         * Whether an identity holding {@code roles} (wire names; unknown ones ignored) may use the operation:
         * it is open, or one of the roles includes the one needed ({@link Role#grantedBy}). The one rule of
         * {@link AccessFilter} and of the web console's offered actions.
         */
        public boolean grantedTo(java.util.Set<String> roles) {
            return open() || role.grantedBy(roles);
        }
    }

    private static final Map<String, Access> TABLE = new TreeMap<>();

    static {
        // --- reads (viewer)
        read("ping"); // POST, but changes nothing: the HTTP stack's baseline
        read("listDatasets");
        read("getDataset");
        read("previewDataset");
        read("listModelTypes");
        read("listTrainingJobs");
        read("getTrainingJob");
        read("listTuningJobs");
        read("getTuningJob");
        read("listModels");
        read("getModelVersions");
        read("getModelVersion");
        read("getModelVersionSchema");
        read("getStats");
        read("getNextVersion");
        read("listDeployments");
        read("getActiveDeployment");
        read("getDeploymentAt");
        read("getDrift");
        read("getModelAlias");
        read("compareModelVersions");
        read("listBatchPredictions");
        read("getBatchPrediction");
        read("getBatchPredictionResult");
        // --- inference (predictor): not audited, they change nothing
        inference("predict");
        // The Open Inference Protocol's model routes (/v2/models/…) serve the same clients as predict.
        inference("modelMetadata");
        inference("modelReady");
        inference("modelInfer");
        inference("modelVersionInfer");
        mutation("createBatchPrediction", Role.PREDICTOR);
        mutation("cancelBatchPrediction", Role.PREDICTOR);
        mutation("deleteBatchPrediction", Role.PREDICTOR);
        // --- trainer
        mutation("uploadDataset", Role.TRAINER);
        mutation("createTrainingJob", Role.TRAINER);
        mutation("cancelTrainingJob", Role.TRAINER);
        mutation("createTuningJob", Role.TRAINER);
        mutation("cancelTuningJob", Role.TRAINER);
        // --- deployer
        mutation("deployModel", Role.DEPLOYER);
        mutation("undeployModel", Role.DEPLOYER);
        mutation("rollbackDeployment", Role.DEPLOYER);
        mutation("setModelAlias", Role.DEPLOYER);
        mutation("deleteModelAlias", Role.DEPLOYER);
        mutation("archiveModelVersion", Role.DEPLOYER);
        mutation("unarchiveModelVersion", Role.DEPLOYER);
        mutation("updateModelVersion", Role.TRAINER);
        // --- admin
        mutation("deleteDataset", Role.ADMIN);
        mutation("createToken", Role.ADMIN);
        mutation("revokeToken", Role.ADMIN);
        TABLE.put("listTokens", new Access(Role.ADMIN, false));
        TABLE.put("listAuditEvents", new Access(Role.ADMIN, false));
        mutation("purgeAuditEvents", Role.ADMIN);
        // --- open: signing in and out of the web console (the token is checked by createSession itself)
        TABLE.put("createSession", new Access(null, true));
        TABLE.put("deleteSession", new Access(null, true));
        // The web console's sign-in page (GET /console/sign-in; not an API operation): open, or nobody could sign in.
        TABLE.put("signInPage", new Access(null, false));
        // The Open Inference Protocol's server health, open like /q/health.
        TABLE.put("serverLive", new Access(null, false));
        TABLE.put("serverReady", new Access(null, false));
    }

    private AccessPolicy() {
    }

    private static void read(String operationId) {
        TABLE.put(operationId, new Access(Role.VIEWER, false));
    }

    private static void inference(String operationId) {
        TABLE.put(operationId, new Access(Role.PREDICTOR, false));
    }

    private static void mutation(String operationId, Role role) {
        TABLE.put(operationId, new Access(role, true));
    }

    /** The entry of {@code operationId}, or empty when it is unclassified. */
    public static Optional<Access> find(String operationId) {
        return Optional.ofNullable(TABLE.get(operationId));
    }

    /** What {@code operationId} needs: its entry, else {@code admin} and audited. */
    public static Access of(String operationId) {
        return TABLE.getOrDefault(operationId, new Access(Role.ADMIN, true));
    }

    /** The whole table, sorted by operationId (the README's table and the role-matrix test read it). */
    public static Map<String, Access> table() {
        return java.util.Collections.unmodifiableMap(TABLE);
    }
}
