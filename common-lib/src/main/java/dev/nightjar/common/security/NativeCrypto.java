package dev.nightjar.common.security;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import java.security.Security;

/**
 * Puts a native JCA provider (Amazon Corretto Crypto Provider, on AWS-LC) ahead of the JDK's, so AES-GCM, SHA-2,
 * HMAC and the elliptic-curve and RSA operations run in native code whatever the JIT does. The JDK's own AES-GCM
 * and SHA-2 are fast only where C2 replaces them with CPU instructions; C1, which the local platform runs on,
 * compiles them as plain Java: sealing a kilobyte of a TLS record (every hop, every Prometheus scrape) then took
 * about 24 µs and a SHA-256 of it (the audit and ledger chains) 7 µs, against under 1 and about 1 in native code
 * (docs/performance.md, "Crypto without C2"). Algorithms the native provider lacks, and every JVM where its
 * library cannot load (another CPU architecture, a C library it was not built for), fall through to the JDK's
 * providers: the same results, slower. {@code -Dnightjar.crypto.native=false} keeps the JDK's providers alone.
 */
public final class NativeCrypto {

    /** The system property that turns the native provider off. */
    public static final String SWITCH = "nightjar.crypto.native";

    private NativeCrypto() {
    }

    /** What {@link #install()} found: the provider first in line, or why the JDK's stay first. */
    public record Outcome(State state, String detail) {
    }

    public enum State {
        INSTALLED,
        /** Turned off with {@code -Dnightjar.crypto.native=false}. */
        OFF,
        /** The native library does not load on this machine. */
        UNAVAILABLE
    }

    /** Installs the native provider at the head of the list, once per JVM; later calls report the same. */
    public static synchronized Outcome install() {
        if (!Boolean.parseBoolean(System.getProperty(SWITCH, "true"))) {
            return new Outcome(State.OFF, "off (-D" + SWITCH + "=false): the JDK's providers");
        }
        Provider[] providers = Security.getProviders();
        if (providers.length > 0 && providers[0] == AmazonCorrettoCryptoProvider.INSTANCE) {
            return installed();
        }
        Throwable error;
        try {
            error = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
        } catch (LinkageError e) {
            error = e;
        }
        if (error != null) {
            return new Outcome(State.UNAVAILABLE, "native library not loaded (" + error + "): the JDK's providers");
        }
        AmazonCorrettoCryptoProvider.install();
        return installed();
    }

    private static Outcome installed() {
        Provider provider = AmazonCorrettoCryptoProvider.INSTANCE;
        return new Outcome(State.INSTALLED, provider.getName() + " " + provider.getVersionStr() + " first, the JDK's providers after it");
    }
}
