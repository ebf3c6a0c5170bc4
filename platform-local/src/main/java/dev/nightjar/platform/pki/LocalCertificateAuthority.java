package dev.nightjar.platform.pki;

import dev.nightjar.common.security.Identities;
import dev.nightjar.platform.StateFiles;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The local platform's certificate authority, kept as PEM files in one directory:
 * {@code ca.crt}/{@code ca.key} and, per workload, {@code <name>.crt}/{@code <name>.key}. Each workload
 * certificate names the workload three ways: CN, DNS name, and a SPIFFE URI in Istio's shape
 * ({@code spiffe://nightjar.local/ns/nightjar/sa/<name>}), and is valid for localhost and 127.0.0.1.
 * Keys are ECDSA P-256; certificates are usable as TLS server and client certificates.
 */
public final class LocalCertificateAuthority {

    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(397);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final String SIGNATURE = "SHA256withECDSA";

    private final Path dir;
    private final X509Certificate caCertificate;
    private final PrivateKey caKey;
    private final SecureRandom random = new SecureRandom();

    private LocalCertificateAuthority(Path dir, X509Certificate caCertificate, PrivateKey caKey) {
        this.dir = dir;
        this.caCertificate = caCertificate;
        this.caKey = caKey;
    }

    /** Opens the CA in {@code dir}, creating it on first use. */
    public static LocalCertificateAuthority openOrCreate(Path dir) {
        Path cert = dir.resolve("ca.crt");
        Path key = dir.resolve("ca.key");
        if (Files.exists(cert) && Files.exists(key)) {
            return new LocalCertificateAuthority(dir, Pem.readCertificate(cert), Pem.readPrivateKey(key));
        }
        try {
            KeyPair pair = newKeyPair();
            X500Name name = new X500Name("CN=Nightjar Local CA,O=Nightjar");
            Instant now = Instant.now();
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(new SecureRandom()),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate certificate = sign(builder, pair.getPrivate());
            StateFiles.write(key, Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()));
            StateFiles.write(cert, Pem.encode("CERTIFICATE", certificate.getEncoded()));
            return new LocalCertificateAuthority(dir, certificate, pair.getPrivate());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("could not create the local CA in " + dir, e);
        }
    }

    public Path caCertificateFile() {
        return dir.resolve("ca.crt");
    }

    public Path certificateFile(String workload) {
        return dir.resolve(workload + ".crt");
    }

    public Path keyFile(String workload) {
        return dir.resolve(workload + ".key");
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** Issues a certificate for the workload unless a valid one, signed by this CA and not near expiry, exists. */
    public void ensureWorkloadCertificate(String workload) {
        Path cert = certificateFile(workload);
        if (Files.exists(cert) && Files.exists(keyFile(workload))) {
            X509Certificate existing = Pem.readCertificate(cert);
            boolean fresh = existing.getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE));
            boolean ours = existing.getIssuerX500Principal().equals(caCertificate.getSubjectX500Principal());
            if (fresh && ours) {
                return;
            }
        }
        issue(workload);
    }

    /** Issues a fresh certificate and key for the workload, replacing any earlier one. */
    public void issue(String workload) {
        try {
            KeyPair pair = newKeyPair();
            Instant now = Instant.now();
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            GeneralNames names = new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.dNSName, workload),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.uniformResourceIdentifier,
                        Identities.spiffeId(Identities.LOCAL_TRUST_DOMAIN, Identities.LOCAL_NAMESPACE, workload)),
            });
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, serial(random),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(LEAF_VALIDITY)),
                    new X500Name("CN=" + workload + ",O=Nightjar"), pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, names)
                    .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(caCertificate))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate certificate = sign(builder, caKey);
            StateFiles.write(keyFile(workload), Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()));
            StateFiles.write(certificateFile(workload), Pem.encode("CERTIFICATE", certificate.getEncoded()));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("could not issue a certificate for " + workload, e);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
