package dev.nightjar.deploy.schema;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import io.fabric8.kubernetes.model.jackson.JsonUnwrappedDeserializer;

/**
 * Reads the model classes' Jackson annotations, except the two that make them lenient: fabric8 and
 * Strimzi models catch every unknown field in an {@code @JsonAnySetter} map, and some classes say
 * {@code ignoreUnknown}. Without either, an unknown field reaches the problem handler, which records it.
 * Enum factories that map unknown constants to null are bypassed too.
 */
final class StrictIntrospector extends JacksonAnnotationIntrospector {

    private static final long serialVersionUID = 1L;

    @Override
    public Boolean hasAnySetter(Annotated annotated) {
        return Boolean.FALSE;
    }

    /**
     * fabric8's Istio enums read through a {@code @JsonCreator fromValue(Object)} that matches names
     * case-insensitively, takes protobuf numbers, and returns null for anything else: an unknown action
     * would silently become "no action". Without the creator, Jackson's own enum reading takes exact
     * constant names only and fails on the rest, as the CRDs' enum validation does.
     */
    @Override
    public JsonCreator.Mode findCreatorAnnotation(MapperConfig<?> config, Annotated annotated) {
        if (annotated instanceof AnnotatedMember member && member.getDeclaringClass().isEnum()) {
            return null;
        }
        return super.findCreatorAnnotation(config, annotated);
    }

    /** fabric8's reader of oneOf specs drops unknown keys; {@link StrictUnwrappedDeserializer} reports them first. */
    @Override
    public Object findDeserializer(Annotated annotated) {
        Object deserializer = super.findDeserializer(annotated);
        return deserializer == JsonUnwrappedDeserializer.class ? StrictUnwrappedDeserializer.class : deserializer;
    }

    @Override
    public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated annotated) {
        return super.findPropertyIgnoralByName(config, annotated).withoutIgnoreUnknown();
    }
}
