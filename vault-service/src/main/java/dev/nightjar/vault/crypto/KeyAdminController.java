package dev.nightjar.vault.crypto;

import dev.nightjar.common.audit.AuditLog;
import dev.nightjar.common.audit.AuditRecord;
import dev.nightjar.common.security.CallerAuthorizationFilter;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/** The operator's key controls: rotate the KEK, rewrap data keys, inspect keys. Every change is audited. */
@RestController
class KeyAdminController {

    private final KeyEncryptionKey kek;
    private final DataKeys dataKeys;
    private final AuditLog auditLog;

    KeyAdminController(KeyEncryptionKey kek, DataKeys dataKeys, AuditLog auditLog) {
        this.kek = kek;
        this.dataKeys = dataKeys;
        this.auditLog = auditLog;
    }

    record KeyStatus(int kekVersion, List<DataKeys.Status> dataKeys) {
    }

    record Rotated(int kekVersion, String activeDataKey) {
    }

    record Rewrapped(int kekVersion, int dataKeysMoved) {
    }

    @GetMapping("/internal/v1/keys")
    KeyStatus keys() {
        kek.refresh();
        return new KeyStatus(kek.currentVersion(), dataKeys.status());
    }

    /** A new KEK version, and a new data key under it, take over new tokens at once. */
    @PostMapping("/internal/v1/keys/rotate")
    Rotated rotate(@RequestAttribute(CallerAuthorizationFilter.CALLER_ATTRIBUTE) String caller) {
        int version = kek.rotate();
        String active = dataKeys.active().id();
        auditLog.record(new AuditRecord(caller, "key.rotate", "kek", null,
                "{\"kek_version\":" + version + ",\"active_data_key\":\"" + active + "\"}"));
        return new Rotated(version, active);
    }

    @PostMapping("/internal/v1/keys/rewrap")
    Rewrapped rewrap(@RequestAttribute(CallerAuthorizationFilter.CALLER_ATTRIBUTE) String caller) {
        int moved = dataKeys.rewrap();
        auditLog.record(new AuditRecord(caller, "key.rewrap", "data_keys", null,
                "{\"kek_version\":" + kek.currentVersion() + ",\"moved\":" + moved + "}"));
        return new Rewrapped(kek.currentVersion(), moved);
    }
}
