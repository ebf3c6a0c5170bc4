package dev.nightjar.acquirer;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchReceipt;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementReport;
import java.util.List;

/**
 * One change of the network's state, as its journal keeps it: what a request did ({@link Acted},
 * {@link Imported}, {@link Cleared}), or a piece of a snapshot that stands for changes compacted away
 * ({@link Kept}, {@link Held}, {@link Taken}). {@link NetworkState#apply} is the only way the state changes,
 * for a live request and at replay alike, so a replay rebuilds exactly what the requests built.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = NetworkEntry.Acted.class, name = "acted"),
    @JsonSubTypes.Type(value = NetworkEntry.Imported.class, name = "imported"),
    @JsonSubTypes.Type(value = NetworkEntry.Cleared.class, name = "cleared"),
    @JsonSubTypes.Type(value = NetworkEntry.Kept.class, name = "kept"),
    @JsonSubTypes.Type(value = NetworkEntry.Held.class, name = "held"),
    @JsonSubTypes.Type(value = NetworkEntry.Taken.class, name = "taken")})
sealed interface NetworkEntry {

    /** The network answered a request: its record, and what it did to the authorization's hold. */
    record Acted(NetworkRecord record) implements NetworkEntry {
    }

    /** A movement made outside the simulator, recorded as approved; it touches no hold. */
    record Imported(NetworkRecord record) implements NetworkEntry {
    }

    /**
     * A settlement batch cleared: the records its lines took (none may settle again), its receipt and its
     * report as first answered. A snapshot's batches take nothing: {@link Taken} says what is taken.
     */
    record Cleared(SettlementBatchReceipt receipt, SettlementReport report, List<String> taken) implements NetworkEntry {

        public Cleared {
            taken = List.copyOf(taken);
        }
    }

    /** Snapshot: a record the network keeps, without its effect on holds (the holds are snapshot as they stand). */
    record Kept(NetworkRecord record) implements NetworkEntry {
    }

    /** Snapshot: an authorization's hold as it stands. */
    record Held(NetworkRecord authorization, long capturedMinor, long refundedMinor, boolean voided)
            implements NetworkEntry {
    }

    /** Snapshot: records that settlement lines have taken. */
    record Taken(List<String> references) implements NetworkEntry {

        public Taken {
            references = List.copyOf(references);
        }
    }
}
