package dev.nightjar.common.logging;

/**
 * Masks anything shaped like a card number in free text: every run of 12 to 19 digits (digits may be
 * separated by single spaces or dashes) that passes the Luhn check, wherever it sits inside a longer
 * digit run, keeps only its last four digits. Used on every log line and error message.
 */
public final class PanMasker {

    private static final int MIN_PAN_DIGITS = 12;
    private static final int MAX_PAN_DIGITS = 19;
    private static final int KEPT_DIGITS = 4;
    private static final char MASK = '*';

    private PanMasker() {
    }

    public static String mask(String text) {
        if (text == null || text.length() < MIN_PAN_DIGITS) {
            return text;
        }
        char[] chars = null;
        int length = text.length();
        int[] positions = new int[64];
        int i = 0;
        while (i < length) {
            if (!isDigit(text.charAt(i))) {
                i++;
                continue;
            }
            // Collect one run of digits joined by at most single separators.
            int count = 0;
            int j = i;
            while (j < length) {
                char c = text.charAt(j);
                if (isDigit(c)) {
                    if (count == positions.length) {
                        positions = java.util.Arrays.copyOf(positions, count * 2);
                    }
                    positions[count++] = j;
                    j++;
                } else if ((c == ' ' || c == '-') && j + 1 < length && isDigit(text.charAt(j + 1)) && count > 0) {
                    j++;
                } else {
                    break;
                }
            }
            if (count >= MIN_PAN_DIGITS) {
                chars = maskRun(text, chars, positions, count);
            }
            i = j;
        }
        return chars == null ? text : new String(chars);
    }

    /** True when the text holds anything shaped like a card number (what {@link #mask} would mask). */
    public static boolean containsPan(String text) {
        return text != null && !text.equals(mask(text));
    }

    /** True when the digits of {@code candidate} (separators ignored) form a Luhn-valid number of PAN length. */
    public static boolean looksLikePan(String candidate) {
        int[] positions = new int[candidate.length()];
        int n = 0;
        for (int k = 0; k < candidate.length(); k++) {
            char c = candidate.charAt(k);
            if (isDigit(c)) {
                positions[n++] = k;
            } else if (c != ' ' && c != '-') {
                return false;
            }
        }
        return n >= MIN_PAN_DIGITS && n <= MAX_PAN_DIGITS && luhn(candidate, positions, 0, n);
    }

    private static char[] maskRun(String text, char[] chars, int[] positions, int count) {
        boolean[] masked = null;
        for (int start = 0; start + MIN_PAN_DIGITS <= count; start++) {
            for (int len = MIN_PAN_DIGITS; len <= MAX_PAN_DIGITS && start + len <= count; len++) {
                if (luhn(text, positions, start, len)) {
                    if (masked == null) {
                        masked = new boolean[count];
                    }
                    for (int k = start; k < start + len - KEPT_DIGITS; k++) {
                        masked[k] = true;
                    }
                }
            }
        }
        if (masked == null) {
            return chars;
        }
        char[] out = chars == null ? text.toCharArray() : chars;
        for (int k = 0; k < count; k++) {
            if (masked[k]) {
                out[positions[k]] = MASK;
            }
        }
        return out;
    }

    private static boolean luhn(String text, int[] positions, int start, int len) {
        int sum = 0;
        boolean doubleIt = false;
        for (int k = start + len - 1; k >= start; k--) {
            int d = text.charAt(positions[k]) - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
