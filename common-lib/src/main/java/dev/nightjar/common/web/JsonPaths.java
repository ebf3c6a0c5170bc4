package dev.nightjar.common.web;

import java.util.List;
import tools.jackson.databind.DatabindException;

/** Turns a Jackson reference path into the {@code param} of an error: {@code payment_method.card.number}, {@code items[2]}. */
public final class JsonPaths {

    private JsonPaths() {
    }

    public static String of(List<DatabindException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (DatabindException.Reference reference : path) {
            if (reference.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
