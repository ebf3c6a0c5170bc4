package dev.nightjar.gateway.data;

import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Transient;
import org.springframework.data.domain.Persistable;

/**
 * An entity whose id the gateway makes ({@code mer_…}, {@code cli_…}, {@code we_…}) rather than the database.
 * Spring Data takes an entity with an id for an existing row and merges it, a SELECT before every INSERT;
 * this one is new until it is saved or loaded, so saving it is the INSERT alone.
 */
@MappedSuperclass
public abstract class AssignedIdEntity implements Persistable<String> {

    @Transient
    private boolean isNew = true;

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostPersist
    @PostLoad
    void stored() {
        isNew = false;
    }
}
