package dev.nightjar.common.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP while the broker answers a metadata request within a second; DOWN, naming the failure, otherwise. The
 * answer is kept for a few seconds, so frequent probes cost the broker nothing. Shown in the service's
 * health (so {@code ./nightjar status} says the broker is what is missing) but kept out of readiness: the
 * payment path commits to the outbox and keeps taking payments while the broker is away.
 */
public final class KafkaHealthIndicator extends AbstractHealthIndicator implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration REMEMBER = Duration.ofSeconds(3);

    private final Admin admin;
    private volatile long checkedAtNanos;
    private volatile String failure = "not checked yet";
    private volatile boolean checked;

    public KafkaHealthIndicator(Map<String, Object> adminProperties) {
        super("Kafka health check failed");
        Map<String, Object> properties = new java.util.HashMap<>(adminProperties);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        properties.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "nightjar-health");
        this.admin = Admin.create(properties);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        long now = System.nanoTime();
        if (!checked || now - checkedAtNanos > REMEMBER.toNanos()) {
            failure = probe();
            checkedAtNanos = now;
            checked = true;
        }
        if (failure == null) {
            builder.up();
        } else {
            builder.down().withDetail("error", failure);
        }
    }

    private String probe() {
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes().get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS).size();
            return nodes > 0 ? null : "no broker in the cluster";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return "broker unreachable: " + e.getClass().getSimpleName();
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(1));
    }
}
