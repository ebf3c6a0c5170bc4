package dev.nightjar.contracts.json;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON conventions of the fleet, for the places Spring's own mapper does not reach (Kafka records,
 * the outbox, files): snake_case names, ISO-8601 instants, unknown properties tolerated between services.
 */
public final class Json {

    /** Thread-safe and immutable; share it. */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            // Declaration order, as documented, rather than Jackson 3's alphabetical default.
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private Json() {
    }
}
