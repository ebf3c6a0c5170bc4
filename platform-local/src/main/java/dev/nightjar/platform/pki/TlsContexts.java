package dev.nightjar.platform.pki;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** SSL contexts built from the local CA's PEM files, for clients of the platform (the CLI, tests). */
public final class TlsContexts {

    private TlsContexts() {
    }

    /** Trusts only the CA; presents the workload's certificate when {@code workload} is not null. */
    public static SSLContext forWorkload(Path tlsDir, String workload) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("nightjar-ca", Pem.readCertificate(tlsDir.resolve("ca.crt")));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);

            KeyManagerFactory kmf = null;
            if (workload != null) {
                char[] password = new char[0];
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry(workload, Pem.readPrivateKey(tlsDir.resolve(workload + ".key")), password,
                        new Certificate[] {Pem.readCertificate(tlsDir.resolve(workload + ".crt"))});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, password);
            }
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("could not build a TLS context from " + tlsDir, e);
        }
    }
}
