package dev.nightjar.platform;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Properties;

/** The local platform's generated passwords and keys, made once and kept owner-readable in the state directory. */
public final class Secrets {

    private static final char[] ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private final Path file;
    private final Properties values = new Properties();
    private final SecureRandom random = new SecureRandom();

    private Secrets(Path file) {
        this.file = file;
    }

    public static Secrets load(Path file) {
        Secrets secrets = new Secrets(file);
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                secrets.values.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return secrets;
    }

    /** The secret stored under {@code name}, generated (32 random characters) and saved on first request. */
    public synchronized String get(String name) {
        String value = values.getProperty(name);
        if (value == null) {
            StringBuilder generated = new StringBuilder(32);
            for (int i = 0; i < 32; i++) {
                generated.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
            value = generated.toString();
            values.setProperty(name, value);
            save();
        }
        return value;
    }

    /** The whole file again, in place of the old one at once: a crash mid-write must not lose the passwords. */
    private void save() {
        StringWriter content = new StringWriter();
        try {
            values.store(content, "Nightjar local platform secrets: generated, never committed");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StateFiles.write(file, content.toString());
    }
}
