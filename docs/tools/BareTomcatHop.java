import dev.nightjar.common.security.NativeCrypto;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * Tomcat alone as a hop's callee: NIO, mutual TLS on risk-service's certificates, virtual threads, one servlet
 * answering risk-service's 65 bytes, no Spring. What Tomcat itself costs a call, beside {@code BareHopServer}
 * (the JDK's own server) and risk-service (docs/performance.md, "A hop in the fleet costs four times what it costs
 * alone"). Run from the repository's root with the platform up, with the services' JVM flags:
 *
 * <pre>
 * ./mvnw -q -o dependency:build-classpath -pl common-lib -Dmdep.outputFile=/tmp/cp.txt
 * java -Xms192m -Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.1 \
 *     --enable-native-access=ALL-UNNAMED -cp common-lib/target/classes:$(cat /tmp/cp.txt) \
 *     docs/tools/BareTomcatHop.java 9199 &
 * NIGHTJAR_JAVA_OPTIONS=-Dnightjar.clients.risk-service.url=https://localhost:9199 ./nightjar restart transaction-service
 * ./nightjar bench --rate 80 --seconds 60 --warmup 0 --bound-seconds 0   # its CPU from /proc/PID/stat before and after
 * ./nightjar restart transaction-service                                  # back to risk-service
 * </pre>
 * or call it alone with {@code docs/tools/HopBench.java} ({@code -Dhop.port=9199 -Dhop.pid=PID}).
 */
public class BareTomcatHop {
    public static void main(String[] args) throws Exception {
        System.out.println("crypto: " + NativeCrypto.install().detail());
        int port = Integer.parseInt(args[0]);
        Path tls = Path.of(".nightjar/tls").toAbsolutePath();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Path.of(System.getProperty("java.io.tmpdir"), "bare-tomcat-hop").toString());
        Connector connector = new Connector(Http11NioProtocol.class.getName());
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("keepAliveTimeout", "300000");
        connector.setProperty("maxKeepAliveRequests", "-1");
        connector.setProperty("useVirtualThreads", "true");
        connector.setSecure(true);
        connector.setScheme("https");
        connector.setProperty("SSLEnabled", "true");
        SSLHostConfig host = new SSLHostConfig();
        host.setCertificateVerification("required");
        var bundle = new PemSslStoreBundle(
                PemSslStoreDetails.forCertificate(Files.readString(tls.resolve("risk-service.crt")))
                        .withPrivateKey(Files.readString(tls.resolve("risk-service.key"))),
                PemSslStoreDetails.forCertificate(Files.readString(tls.resolve("ca.crt"))));
        host.setTrustStore(bundle.getTrustStore());
        SSLHostConfigCertificate cert = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
        cert.setCertificateKeystore(bundle.getKeyStore());
        cert.setCertificateKeystorePassword("");
        host.addCertificate(cert);
        connector.addSslHostConfig(host);
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        byte[] answer = "{\"score\":3,\"decision\":\"allow\",\"reasons\":[],\"fallback_used\":false}".getBytes(StandardCharsets.UTF_8);
        Tomcat.addServlet(context, "decisions", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                request.getInputStream().readAllBytes();
                response.setContentType("application/json");
                response.setContentLength(answer.length);
                response.getOutputStream().write(answer);
            }
        }).addMapping("/internal/v1/decisions");
        tomcat.start();
        System.out.println("pid " + ProcessHandle.current().pid() + " listening on " + port);
        tomcat.getServer().await();
    }
}
