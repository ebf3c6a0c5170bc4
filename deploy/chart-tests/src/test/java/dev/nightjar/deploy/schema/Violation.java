package dev.nightjar.deploy.schema;

/** One way a manifest departs from its API type: where (a JSON pointer) and what. */
public record Violation(String manifest, String pointer, String problem) {

    @Override
    public String toString() {
        return manifest + " at " + pointer + ": " + problem;
    }
}
