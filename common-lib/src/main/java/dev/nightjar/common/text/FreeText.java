package dev.nightjar.common.text;

import dev.nightjar.common.logging.PanMasker;

/**
 * What text a client sends must be before the platform keeps, logs or publishes it. Refused: control
 * characters (C0, DEL and C1; tab, line feed and carriage return are allowed where text may span lines),
 * unpaired UTF-16 surrogates (they cannot be stored as UTF-8), and anything shaped like a card number.
 * Refused, never repaired: masking or stripping would silently change what a merchant sent.
 */
public final class FreeText {

    /** Why a text may not be kept; the message names the rule, never the text. */
    public enum Problem {
        CONTROL_CHARACTER("must not contain control characters (U+0000 to U+001F, U+007F to U+009F)"),
        LINE_BREAK("must be a single line (no tab, line feed or carriage return)"),
        UNPAIRED_SURROGATE("is not valid Unicode text (it holds an unpaired surrogate)"),
        CARD_NUMBER("looks like it holds a card number; card numbers are accepted in card fields only");

        private final String message;

        Problem(String message) {
            this.message = message;
        }

        /** The rule, to follow the field's name: "description must not contain …". */
        public String message() {
            return message;
        }
    }

    /** Whether tab, line feed and carriage return may appear. */
    public enum Lines {
        SINGLE, MULTI
    }

    private FreeText() {
    }

    /** The first problem of {@code text} (card numbers included), or null when it may be kept. */
    public static Problem problem(String text, Lines lines) {
        Problem characters = characterProblem(text, lines);
        if (characters != null) {
            return characters;
        }
        return PanMasker.containsPan(text) ? Problem.CARD_NUMBER : null;
    }

    /** The first problem of {@code text} with its characters alone (a card number's own field), or null. */
    public static Problem characterProblem(String text, Lines lines) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') {
                if (lines == Lines.SINGLE) {
                    return Problem.LINE_BREAK;
                }
            } else if (isControl(c)) {
                return Problem.CONTROL_CHARACTER;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return Problem.UNPAIRED_SURROGATE;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return Problem.UNPAIRED_SURROGATE;
            }
        }
        return null;
    }

    /** C0 (U+0000 to U+001F), DEL (U+007F) and C1 (U+0080 to U+009F). */
    public static boolean isControl(char c) {
        return c <= 0x1F || (c >= 0x7F && c <= 0x9F);
    }
}
