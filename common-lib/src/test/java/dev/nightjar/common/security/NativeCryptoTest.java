package dev.nightjar.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Security;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native provider goes first in line, the JCA hands it what TLS records and the hash chains use, and a
 * mutual-TLS 1.3 connection carries data both ways with it in place.
 */
class NativeCryptoTest {

    @Test
    void installsTheNativeProviderFirstAndTheJcaPicksItForTlsRecordsHashesAndMacs() throws Exception {
        NativeCrypto.Outcome outcome = NativeCrypto.install();

        assertThat(outcome.state()).as(outcome.detail()).isEqualTo(NativeCrypto.State.INSTALLED);
        assertThat(Security.getProviders()[0]).isSameAs(AmazonCorrettoCryptoProvider.INSTANCE);
        // the transformation JSSE asks for a TLS 1.3 record protection, the audit and ledger chains' digest,
        // and the webhooks' signature
        assertThat(Cipher.getInstance("AES/GCM/NoPadding").getProvider()).isSameAs(AmazonCorrettoCryptoProvider.INSTANCE);
        assertThat(MessageDigest.getInstance("SHA-256").getProvider()).isSameAs(AmazonCorrettoCryptoProvider.INSTANCE);
        assertThat(Mac.getInstance("HmacSHA256").getProvider()).isSameAs(AmazonCorrettoCryptoProvider.INSTANCE);
        assertThat(NativeCrypto.install()).as("a second call changes nothing").isEqualTo(outcome);
        assertThat(Arrays.stream(Security.getProviders()).filter(p -> p == AmazonCorrettoCryptoProvider.INSTANCE))
                .hasSize(1);
    }

    @Test
    void aMutualTls13ConnectionCarriesDataBothWaysWithTheNativeProviderFirst(@TempDir Path dir) throws Exception {
        assertThat(NativeCrypto.install().state()).isEqualTo(NativeCrypto.State.INSTALLED);
        SSLContext context = context(selfSignedKeyStore(dir));
        byte[] request = randomBytes(64 * 1024, 1);
        byte[] answer = randomBytes(48 * 1024, 2);

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
                SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0)) {
            server.setNeedClientAuth(true);
            server.setEnabledProtocols(new String[] {"TLSv1.3"});
            Future<byte[]> received = threads.submit(() -> {
                try (SSLSocket socket = (SSLSocket) server.accept();
                        InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                    byte[] got = in.readNBytes(request.length);
                    out.write(answer);
                    out.flush();
                    assertThat(socket.getSession().getPeerCertificates()).as("the client's certificate").hasSize(1);
                    return got;
                }
            });
            try (SSLSocket client = (SSLSocket) context.getSocketFactory().createSocket("localhost", server.getLocalPort())) {
                client.setEnabledProtocols(new String[] {"TLSv1.3"});
                client.getOutputStream().write(request);
                client.getOutputStream().flush();
                byte[] got = client.getInputStream().readNBytes(answer.length);

                assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
                assertThat(client.getSession().getCipherSuite()).matches("TLS_AES_(128|256)_GCM_SHA(256|384)");
                assertThat(got).isEqualTo(answer);
            }
            assertThat(received.get(20, TimeUnit.SECONDS)).isEqualTo(request);
        }
    }

    @Test
    void theSwitchLeavesTheJdkProvidersAlone() {
        String before = System.getProperty(NativeCrypto.SWITCH);
        System.setProperty(NativeCrypto.SWITCH, "false");
        try {
            NativeCrypto.Outcome outcome = NativeCrypto.install();
            assertThat(outcome.state()).isEqualTo(NativeCrypto.State.OFF);
            assertThat(outcome.detail()).contains("-D" + NativeCrypto.SWITCH + "=false");
        } finally {
            if (before == null) {
                System.clearProperty(NativeCrypto.SWITCH);
            } else {
                System.setProperty(NativeCrypto.SWITCH, before);
            }
        }
    }

    /** An EC key and its self-signed certificate, made by the JDK's keytool: both peers' identity and trust. */
    private static KeyStore selfSignedKeyStore(Path dir) throws Exception {
        Path file = dir.resolve("peer.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "peer", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", "secret", "-keypass", "secret")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, "secret".toCharArray());
        }
        return store;
    }

    private static SSLContext context(KeyStore store) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "secret".toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
