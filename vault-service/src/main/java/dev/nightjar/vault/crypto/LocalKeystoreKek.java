package dev.nightjar.vault.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/**
 * Key-encryption keys kept in a local PKCS#12 keystore file: {@code kek-v1}, {@code kek-v2}, … The highest
 * version wraps new data keys; every version stays for unwrapping. The local platform's KEK keeper;
 * production uses HashiCorp Vault Transit ({@link VaultTransitKek}).
 */
public final class LocalKeystoreKek implements KeyEncryptionKey {

    private static final String KEK_PREFIX = "kek-v";

    private final Path path;
    private final char[] password;
    private volatile Map<Integer, SecretKey> keks;
    private volatile long loadedAt;

    private LocalKeystoreKek(Path path, char[] password) {
        this.path = path;
        this.password = password;
    }

    /** Opens the keystore; creates it with a first KEK and a fingerprint key when allowed and missing. */
    public static LocalKeystoreKek open(Path path, String password, boolean createIfMissing) {
        LocalKeystoreKek kek = new LocalKeystoreKek(path, password.toCharArray());
        if (!Files.exists(path)) {
            if (!createIfMissing) {
                throw new IllegalStateException("KEK keystore " + path + " does not exist");
            }
            kek.create();
        }
        kek.load();
        return kek;
    }

    @Override
    public int currentVersion() {
        return Collections.max(keks.keySet());
    }

    @Override
    public WrappedKey wrap(byte[] dataKey, String context) {
        int version = currentVersion();
        return new WrappedKey(version, Aead.encrypt(keks.get(version), dataKey, context));
    }

    @Override
    public byte[] unwrap(WrappedKey wrapped, String context) {
        SecretKey key = keks.get(wrapped.kekVersion());
        if (key == null) {
            // Perhaps another replica rotated: read the keystore again before giving up.
            refresh();
            key = keks.get(wrapped.kekVersion());
        }
        if (key == null) {
            throw new IllegalStateException("KEK version " + wrapped.kekVersion() + " is not in the keystore");
        }
        return Aead.decrypt(key, wrapped.ciphertext(), context);
    }

    /** Adds a new KEK version, which wraps every data key made from now on. Returns the new version. */
    @Override
    public synchronized int rotate() {
        try {
            KeyStore store = read();
            int next = currentVersion() + 1;
            store.setEntry(KEK_PREFIX + next, new KeyStore.SecretKeyEntry(newAesKey()), new KeyStore.PasswordProtection(password));
            write(store);
            load();
            return next;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not rotate the KEK", e);
        }
    }

    /** Re-reads the keystore file when it changed since it was last read. */
    @Override
    public synchronized void refresh() {
        try {
            long modified = Files.getLastModifiedTime(path).toMillis();
            if (modified != loadedAt) {
                load();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void create() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, password);
            KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(password);
            store.setEntry(KEK_PREFIX + 1, new KeyStore.SecretKeyEntry(newAesKey()), protection);
            write(store);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not create the KEK keystore " + path, e);
        }
    }

    private void load() {
        try {
            loadedAt = Files.getLastModifiedTime(path).toMillis();
            KeyStore store = read();
            Map<Integer, SecretKey> loaded = new TreeMap<>();
            for (String alias : Collections.list(store.aliases())) {
                if (alias.startsWith(KEK_PREFIX)) {
                    loaded.put(Integer.parseInt(alias.substring(KEK_PREFIX.length())), (SecretKey) store.getKey(alias, password));
                }
            }
            if (loaded.isEmpty()) {
                throw new IllegalStateException("keystore " + path + " holds no KEK");
            }
            this.keks = Collections.unmodifiableMap(loaded);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not read the KEK keystore " + path, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private KeyStore read() throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(KeyStore store) throws GeneralSecurityException {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(path.toAbsolutePath().getParent(), "kek", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(tmp)) {
                store.store(out, password);
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SecretKey newAesKey() throws GeneralSecurityException {
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        return generator.generateKey();
    }
}
