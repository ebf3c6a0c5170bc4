package dev.nightjar.contracts.contract;

import java.util.List;

/** A page of a list, newest first: {@code {"object": "list", "data": [...], "has_more": true}}. */
public record ListObject<T>(String object, List<T> data, boolean hasMore) {

    public static <T> ListObject<T> of(List<T> data, boolean hasMore) {
        return new ListObject<>("list", List.copyOf(data), hasMore);
    }
}
