import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.nightjar.common.security.NativeCrypto;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * The floor of an internal hop: risk-service's decision path answered by the JDK's own HTTPS server on the same
 * certificates (risk-service's, client certificates required), the same native crypto provider and virtual
 * threads; it reads the body and writes the answer risk-service gives, and does nothing else. Run from the
 * repository's root with the platform up, with the services' JVM flags, then call it with
 * {@code docs/tools/HopBench.java} (its header):
 *
 * <pre>
 * ./mvnw -q -o dependency:build-classpath -pl common-lib -Dmdep.outputFile=/tmp/cp.txt
 * java -Xms192m -Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.1 \
 *     --enable-native-access=ALL-UNNAMED -cp common-lib/target/classes:$(cat /tmp/cp.txt) \
 *     docs/tools/BareHopServer.java 9199 &
 * java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dhop.port=9199 -Dhop.pid=PID -cp ... docs/tools/HopBench.java bodies 10000 3
 * </pre>
 */
public class BareHopServer {
    public static void main(String[] args) throws Exception {
        System.out.println("crypto: " + NativeCrypto.install().detail());
        int port = Integer.parseInt(args[0]);
        Path tls = Path.of(".nightjar/tls");
        SslBundle ssl = SslBundle.of(new PemSslStoreBundle(
                PemSslStoreDetails.forCertificate(Files.readString(tls.resolve("risk-service.crt")))
                        .withPrivateKey(Files.readString(tls.resolve("risk-service.key"))),
                PemSslStoreDetails.forCertificate(Files.readString(tls.resolve("ca.crt")))));
        SSLContext context = ssl.createSslContext();
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                var p = context.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        byte[] answer = "{\"score\":3,\"decision\":\"allow\",\"reasons\":[],\"fallback_used\":false}".getBytes(StandardCharsets.UTF_8);
        server.createContext("/internal/v1/decisions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        System.out.println("pid " + ProcessHandle.current().pid() + " listening on " + port);
    }
}
