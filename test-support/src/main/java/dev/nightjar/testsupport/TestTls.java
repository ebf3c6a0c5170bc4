package dev.nightjar.testsupport;

import dev.nightjar.common.security.Identities;
import dev.nightjar.platform.pki.LocalCertificateAuthority;
import dev.nightjar.platform.pki.TlsContexts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * A certificate authority per test JVM, made by the same code as the local platform's, with a
 * certificate for every workload of the fleet and for the operator, plus one for an identity outside
 * the fleet ({@code stranger}) to prove refusals.
 */
public final class TestTls {

    public static final String STRANGER = "stranger";

    private static Path dir;

    private TestTls() {
    }

    public static synchronized Path dir() {
        if (dir == null) {
            try {
                Path created = Files.createTempDirectory("nightjar-test-tls");
                LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(created);
                for (String identity : Identities.SERVICES) {
                    ca.issue(identity);
                }
                ca.issue(Identities.OPERATOR);
                ca.issue(STRANGER);
                dir = created;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** Trust managers that trust the test CA only. */
    public static javax.net.ssl.TrustManager[] trustManagers() {
        try {
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", dev.nightjar.platform.pki.Pem.readCertificate(dir().resolve("ca.crt")));
            javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            return factory.getTrustManagers();
        } catch (java.security.GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client context presenting {@code identity}'s certificate (null for none) and trusting the test CA. */
    public static SSLContext clientContext(String identity) {
        return TlsContexts.forWorkload(dir(), identity);
    }
}
