package dev.nightjar.platform.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCertificateAuthorityTest {

    @TempDir
    Path dir;

    @Test
    void workloadCertificateNamesTheWorkloadAndIsSignedByTheCa() throws Exception {
        LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(dir);
        ca.issue("vault-service");
        X509Certificate certificate = Pem.readCertificate(ca.certificateFile("vault-service"));
        certificate.verify(ca.caCertificate().getPublicKey());
        assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=vault-service");
        assertThat(certificate.getSubjectAlternativeNames()).contains(
                List.of(6, "spiffe://nightjar.local/ns/nightjar/sa/vault-service"),
                List.of(2, "localhost"),
                List.of(7, "127.0.0.1"));
        assertThat(certificate.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    }

    @Test
    void privateKeysAreReadableByTheOwnerOnly() throws Exception {
        LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(dir);
        ca.issue("auth-service");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.keyFile("auth-service")))).isEqualTo("rw-------");
    }

    @Test
    void reopeningKeepsTheCaAndFreshCertificates() {
        LocalCertificateAuthority first = LocalCertificateAuthority.openOrCreate(dir);
        first.ensureWorkloadCertificate("risk-service");
        X509Certificate issued = Pem.readCertificate(first.certificateFile("risk-service"));
        LocalCertificateAuthority again = LocalCertificateAuthority.openOrCreate(dir);
        again.ensureWorkloadCertificate("risk-service");
        assertThat(again.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(Pem.readCertificate(again.certificateFile("risk-service"))).isEqualTo(issued);
    }

    @Test
    void contextsBuildFromTheFiles() {
        LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(dir);
        ca.issue("nightjar-operator");
        assertThat(TlsContexts.forWorkload(dir, "nightjar-operator").getProtocol()).isEqualTo("TLSv1.3");
        assertThat(TlsContexts.forWorkload(dir, null)).isNotNull();
    }
}
