package dev.mlpipeline.deployment;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class DeploymentRepository implements PanacheRepositoryBase<Deployment, String> {

    private static final String FETCH = "from Deployment d join fetch d.dataset";

    public Uni<List<Deployment>> history(int limit) {
        return find(FETCH + " order by d.createdAt desc, d.id desc").page(0, limit).list();
    }

    public Uni<Deployment> findActive() {
        return find(FETCH + " where d.active = true").firstResult();
    }

    public Uni<Deployment> findWithDataset(String id) {
        return find(FETCH + " where d.id = ?1", id).firstResult();
    }
}
