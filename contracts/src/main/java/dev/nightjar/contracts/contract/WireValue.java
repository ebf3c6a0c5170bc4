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

    /** The value of {@code type} whose wire name is {@code wire}; an {@link IllegalArgumentException} naming both when none is. */
    static <E extends Enum<E> & WireValue> E parse(Class<E> type, String wire) {
        for (E value : type.getEnumConstants()) {
            if (value.wire().equals(wire)) {
                return value;
            }
        }
        throw new IllegalArgumentException("\"" + wire + "\" is not a " + type.getSimpleName() + " (one of "
                + java.util.Arrays.stream(type.getEnumConstants()).map(WireValue::wire).toList() + ")");
    }
}
