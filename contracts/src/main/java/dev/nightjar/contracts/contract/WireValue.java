package dev.nightjar.contracts.contract;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A closed vocabulary that crosses a boundary (an outcome, a status, a decision): an enum in the code, its
 * lower-case name on the wire (JSON, a database column) and nowhere else. Jackson writes and reads it by
 * {@link #wire()}; {@link #parse} is the one place a wire name becomes a value.
 */
public interface WireValue {

    /** The value's name on the wire: its constant's name in lower case, unless the enum says otherwise. */
    @JsonValue
    default String wire() {
        return ((Enum<?>) this).name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The value of {@code type} whose wire name is {@code wire}; empty when none is. */
    static <E extends Enum<E> & WireValue> java.util.Optional<E> find(Class<E> type, String wire) {
        for (E value : type.getEnumConstants()) {
            if (value.wire().equals(wire)) {
                return java.util.Optional.of(value);
            }
        }
        return java.util.Optional.empty();
    }

    /** The value of {@code type} whose wire name is {@code wire}; an {@link IllegalArgumentException} naming both when none is. */
    static <E extends Enum<E> & WireValue> E parse(Class<E> type, String wire) {
        return find(type, wire).orElseThrow(() -> new IllegalArgumentException("\"" + wire + "\" is not a "
                + type.getSimpleName() + " (one of " + String.join(", ", names(type)) + ")"));
    }

    /** Every wire name of {@code type}, in declaration order. */
    static <E extends Enum<E> & WireValue> java.util.List<String> names(Class<E> type) {
        return java.util.Arrays.stream(type.getEnumConstants()).map(WireValue::wire).toList();
    }
}
