package dev.nightjar.common.security;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What one TLS record's protection and one SHA-256 cost with the JDK's providers and with the native one, in the
 * JIT this JVM runs: start it once with {@code -XX:TieredStopAtLevel=1} (the local platform's C1) and once
 * without (C2, as on Kubernetes). Not a test: docs/performance.md, "Crypto without C2", shows how to run it.
 * Argument: seconds per case (default 3).
 */
public final class CryptoBenchmark {

    private static final int[] SIZES = {1024, 16 * 1024};
    private static volatile int sink;

    private CryptoBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long nanosPerCase = (args.length > 0 ? Long.parseLong(args[0]) : 3) * 1_000_000_000L;
        Provider jdkCipher = Security.getProvider("SunJCE");
        Provider jdkDigest = Security.getProvider("SUN");
        AmazonCorrettoCryptoProvider nativeProvider = AmazonCorrettoCryptoProvider.INSTANCE;
        if (nativeProvider.getLoadingError() != null) {
            throw new IllegalStateException("the native provider does not load here", nativeProvider.getLoadingError());
        }
        System.out.printf("JVM: %s, compilers: %s%n", Runtime.version(),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> a.startsWith("-XX:TieredStopAtLevel")).findFirst().orElse("C1 and C2 (default)"));
        System.out.printf("%-34s %12s %12s%n", "operation", "JDK µs/op", "native µs/op");
        for (int size : SIZES) {
            double jdk = aesGcm(jdkCipher, size, nanosPerCase);
            double nat = aesGcm(nativeProvider, size, nanosPerCase);
            System.out.printf("%-34s %12.2f %12.2f%n", "AES-256-GCM encrypt, " + size / 1024 + " KiB", jdk, nat);
        }
        for (int size : SIZES) {
            double jdk = sha256(jdkDigest, size, nanosPerCase);
            double nat = sha256(nativeProvider, size, nanosPerCase);
            System.out.printf("%-34s %12.2f %12.2f%n", "SHA-256, " + size / 1024 + " KiB", jdk, nat);
        }
    }

    /** Microseconds per encryption of {@code size} bytes under a fresh nonce, as a TLS 1.3 record is sealed. */
    private static double aesGcm(Provider provider, int size, long nanos) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
        SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
        byte[] plain = new byte[size];
        byte[] nonce = new byte[12];
        long counter = 0;
        // the first half warms the code up; the second is measured
        for (int phase = 0; phase < 2; phase++) {
            long operations = 0;
            long started = System.nanoTime();
            while (System.nanoTime() - started < nanos / 2) {
                counter++;
                for (int i = 0; i < 8; i++) {
                    nonce[4 + i] = (byte) (counter >>> (8 * i));
                }
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
                sink += cipher.doFinal(plain)[0];
                operations++;
            }
            if (phase == 1) {
                return (System.nanoTime() - started) / 1000.0 / operations;
            }
        }
        throw new AssertionError();
    }

    private static double sha256(Provider provider, int size, long nanos) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256", provider);
        byte[] data = new byte[size];
        for (int phase = 0; phase < 2; phase++) {
            long operations = 0;
            long started = System.nanoTime();
            while (System.nanoTime() - started < nanos / 2) {
                data[0] = (byte) operations;
                sink += digest.digest(data)[0];
                operations++;
            }
            if (phase == 1) {
                return (System.nanoTime() - started) / 1000.0 / operations;
            }
        }
        throw new AssertionError();
    }
}
