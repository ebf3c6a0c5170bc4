package dev.nightjar.deploy.grafana;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects. Not a full parser, but enough for what a dashboard writes:
 * string literals, label matchers ({@code {...}}), ranges and subqueries ({@code [...]}) and grouping label
 * lists ({@code by (...)}, {@code on (...)}...) are removed first; what is left is functions (a name followed
 * by "("), keywords, numbers and metric names. Grafana's variables ({@code $__rate_interval}) only occur inside
 * the removed parts in these dashboards.
 */
final class PromQlMetricNames {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    /** A word: a name when it starts with a letter, '_' or ':'; a number or duration otherwise. */
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_:.]+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2", "start", "end");
    /** Grafana's label_values(metric{...}, label) of a query variable. */
    private static final Pattern LABEL_VALUES = Pattern.compile(
            "^label_values\\(\\s*([A-Za-z_:][A-Za-z0-9_:]*)\\s*(\\{[^}]*})?\\s*,\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)$");

    private PromQlMetricNames() {
    }

    /** The metric names {@code expr} selects, sorted. */
    static Set<String> of(String expr) {
        String rest = STRING.matcher(expr).replaceAll(" ");
        rest = MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGE.matcher(rest).replaceAll(" ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher word = WORD.matcher(rest);
        while (word.find()) {
            String token = word.group();
            if (!NAME.matcher(token).matches() || KEYWORDS.contains(token.toLowerCase())) {
                continue;
            }
            if (isFollowedByParenthesis(rest, word.end())) {
                continue;
            }
            names.add(token);
        }
        return names;
    }

    /** The metric of a query variable's {@code label_values(metric, label)}; fails on any other form. */
    static String ofLabelValues(String query) {
        Matcher matcher = LABEL_VALUES.matcher(query.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a label_values(metric, label) query: " + query);
        }
        return matcher.group(1);
    }

    private static boolean isFollowedByParenthesis(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i < text.length() && text.charAt(i) == '(';
    }
}
