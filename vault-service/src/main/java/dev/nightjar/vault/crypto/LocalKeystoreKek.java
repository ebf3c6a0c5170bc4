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
 * version wraps new data keys; every version stays for unwrapping. Also holds the fingerprint master key.
 * The local platform's KEK source; production uses HashiCorp Vault Transit.
 */
public final class LocalKeystoreKek implements KeyEncryptionKey {

    private static final String KEK_PREFIX = "kek-v";
    public static final String FINGERPRINT_ALIAS = "fingerprint-v1";

    private final Path path;
    private final char[] password;
    private volatile Map<Integer, SecretKey> keks;
    private volatile SecretKey fingerprintKey;

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
            throw new IllegalStateException("KEK version " + wrapped.kekVersion() + " is not in the keystore");
        }
        return Aead.decrypt(key, wrapped.ciphertext(), context);
    }

    public SecretKey fingerprintKey() {
        return fingerprintKey;
    }

    /** Adds a new KEK version, which wraps every data key made from now on. Returns the new version. */
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

    private void create() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, password);
            KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(password);
            store.setEntry(KEK_PREFIX + 1, new KeyStore.SecretKeyEntry(newAesKey()), protection);
            store.setEntry(FINGERPRINT_ALIAS, new KeyStore.SecretKeyEntry(newAesKey()), protection);
            write(store);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not create the KEK keystore " + path, e);
        }
    }

    private void load() {
        try {
            KeyStore store = read();
            Map<Integer, SecretKey> loaded = new TreeMap<>();
            SecretKey fingerprint = null;
            for (String alias : Collections.list(store.aliases())) {
                SecretKey key = (SecretKey) store.getKey(alias, password);
                if (alias.startsWith(KEK_PREFIX)) {
                    loaded.put(Integer.parseInt(alias.substring(KEK_PREFIX.length())), key);
                } else if (alias.equals(FINGERPRINT_ALIAS)) {
                    fingerprint = key;
                }
            }
            if (loaded.isEmpty() || fingerprint == null) {
                throw new IllegalStateException("keystore " + path + " lacks a KEK or the fingerprint key");
            }
            this.keks = Collections.unmodifiableMap(loaded);
            this.fingerprintKey = fingerprint;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not read the KEK keystore " + path, e);
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
