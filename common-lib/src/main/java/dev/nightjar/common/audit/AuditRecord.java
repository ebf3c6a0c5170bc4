package dev.nightjar.common.audit;

/**
 * Something that must be accounted for: who ({@code actor}, a workload or operator identity) did what
 * ({@code action}) to what ({@code subject}), for which merchant, with details as a JSON object. Never
 * a card number.
 */
public record AuditRecord(String actor, String action, String subject, String merchantId, String details) {

    public AuditRecord {
        if (actor == null || actor.isBlank() || action == null || action.isBlank()) {
            throw new IllegalArgumentException("an audit record names its actor and action");
        }
        details = details == null ? "{}" : details;
    }
}
