package dev.nightjar.deploy.schema;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TreeTraversingParser;
import io.fabric8.kubernetes.model.jackson.JsonUnwrappedDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Stands in for fabric8's {@link JsonUnwrappedDeserializer}, which reads Istio specs that carry a protobuf
 * oneOf as an {@code @JsonUnwrapped} polymorphic field. fabric8 hands every key the spec does not own to the
 * oneOf, whose type is deduced from its keys, so an unknown key is silently dropped there. This one first
 * records every key that is neither the spec's own nor a property of any of the oneOf's subtypes, then lets
 * fabric8's deserializer read the rest.
 */
public final class StrictUnwrappedDeserializer extends JsonDeserializer<Object> implements ContextualDeserializer {

    private final JsonDeserializer<Object> fabric8;
    private final Set<String> knownNames;
    private final String typeName;

    /** For Jackson, which instantiates the class and then asks for the contextual instance. */
    public StrictUnwrappedDeserializer() {
        this(null, Set.of(), "");
    }

    private StrictUnwrappedDeserializer(JsonDeserializer<Object> fabric8, Set<String> knownNames, String typeName) {
        this.fabric8 = fabric8;
        this.knownNames = knownNames;
        this.typeName = typeName;
    }

    @Override
    @SuppressWarnings("unchecked")
    public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) throws JsonMappingException {
        JavaType type = context.getContextualType();
        DeserializationConfig config = context.getConfig();
        Set<String> known = new HashSet<>();
        for (BeanPropertyDefinition definition : config.introspect(type).findProperties()) {
            boolean unwrapped = Stream.of(definition.getField(), definition.getMutator(), definition.getConstructorParameter())
                    .anyMatch(member -> member != null && isUnwrapped(member));
            if (unwrapped) {
                known.addAll(subtypePropertyNames(config, definition.getPrimaryType()));
            } else {
                known.add(definition.getName());
            }
        }
        JsonDeserializer<Object> delegate = (JsonDeserializer<Object>) new JsonUnwrappedDeserializer<>(context);
        return new StrictUnwrappedDeserializer(delegate, Set.copyOf(known), type.getRawClass().getSimpleName());
    }

    @Override
    public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        String objectPointer = parser.getParsingContext().pathAsPointer().toString();
        ObjectNode node = parser.readValueAsTree();
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(name -> {
            if (!knownNames.contains(name)) {
                unknown.add(name);
            }
        });
        @SuppressWarnings("unchecked")
        List<Violation> sink = (List<Violation>) context.getAttribute(StrictManifestReader.SINK);
        for (String name : unknown) {
            sink.add(new Violation((String) context.getAttribute(StrictManifestReader.MANIFEST), objectPointer + "/" + name,
                    "unknown field '" + name + "' (not in " + typeName + " nor in any of its oneOf alternatives)"));
            node.remove(name);
        }
        try (TreeTraversingParser rest = new TreeTraversingParser(node, parser.getCodec())) {
            rest.nextToken();
            return fabric8.deserialize(rest, context);
        }
    }

    private static boolean isUnwrapped(AnnotatedMember member) {
        JsonUnwrapped annotation = member.getAnnotation(JsonUnwrapped.class);
        return annotation != null && annotation.enabled();
    }

    private static Set<String> subtypePropertyNames(DeserializationConfig config, JavaType unwrappedType) {
        Set<String> names = new HashSet<>();
        JsonSubTypes subtypes = unwrappedType.getRawClass().getAnnotation(JsonSubTypes.class);
        List<Class<?>> classes = new ArrayList<>();
        classes.add(unwrappedType.getRawClass());
        if (subtypes != null) {
            Stream.of(subtypes.value()).map(JsonSubTypes.Type::value).forEach(classes::add);
        }
        for (Class<?> type : classes) {
            config.introspect(config.constructType(type)).findProperties().forEach(p -> names.add(p.getName()));
        }
        return names;
    }
}
