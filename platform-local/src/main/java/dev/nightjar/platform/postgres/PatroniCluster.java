package dev.nightjar.platform.postgres;

import dev.nightjar.contracts.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * One Patroni cluster: three nodes holding the same databases, one primary (the holder of the leader lock
 * in etcd) and two streaming replicas, one of them synchronous. Clients reach the primary through a
 * multi-host JDBC URL that accepts only a writable server.
 */
final class PatroniCluster {

    /** Patroni's namespace in etcd: one etcd per platform, so the clusters' names (scopes) need only differ among themselves. */
    private static final String NAMESPACE = "/nightjar/";
    private static final String REPLICATION_USER = "replicator";
    private static final Duration REST_TIMEOUT = Duration.ofSeconds(1);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(REST_TIMEOUT).build();

    /**
     * Multi-host URL parameters: only a primary is accepted; a host's role is trusted for one second only, so
     * the replica promoted a moment ago is tried again soon. On loopback a dead server refuses at once, so the
     * TCP connect bound (2 s) only matters for a hung one. Logging in (SCRAM, perhaps at a replica first) is
     * bounded at 30 s, not less: nine services starting at once on two cores loaded by other work (load
     * average 20-45) failed their start with 3 s and with 10 s.
     */
    static final String URL_PARAMETERS = "targetServerType=primary&hostRecheckSeconds=1&connectTimeout=2&loginTimeout=30";

    /** A member as Patroni's {@code /cluster} endpoint reports it. */
    record Member(String role, String state) {
    }

    private final String name;
    private final List<String> databases;
    private final List<PatroniNode> nodes;
    private final String superuserPassword;
    private final String replicationPassword;

    PatroniCluster(String name, List<String> databases, List<PatroniNode> nodes, String superuserPassword,
                   String replicationPassword) {
        this.name = name;
        this.databases = List.copyOf(databases);
        this.nodes = List.copyOf(nodes);
        this.superuserPassword = superuserPassword;
        this.replicationPassword = replicationPassword;
    }

    String name() {
        return name;
    }

    List<String> databases() {
        return databases;
    }

    List<PatroniNode> nodes() {
        return nodes;
    }

    String jdbcUrl(String database) {
        String hosts = nodes.stream().map(node -> "127.0.0.1:" + node.postgresPort()).collect(Collectors.joining(","));
        return "jdbc:postgresql://" + hosts + "/" + database + "?" + URL_PARAMETERS;
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), LocalPostgres.SUPERUSER, superuserPassword);
    }

    /** The members Patroni reports, asked of the first node whose REST API answers; empty if none does. */
    Map<String, Member> members() {
        return ask("GET", "/cluster", null, REST_TIMEOUT).map(body -> {
            Map<String, Member> members = new HashMap<>();
            for (JsonNode member : Json.MAPPER.readTree(body).path("members")) {
                members.put(member.path("name").asString(), new Member(member.path("role").asString(),
                        member.path("state").asString()));
            }
            return members;
        }).orElse(Map.of());
    }

    /** The body of the first 200 answer to the request from a node whose Patroni runs, if any answers so. */
    private Optional<String> ask(String method, String path, String body, Duration timeout) {
        for (PatroniNode node : nodes) {
            if (node.patroni().isEmpty()) {
                continue;
            }
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + node.restApiPort() + path)).timeout(timeout)
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return Optional.of(response.body());
                }
            } catch (IOException e) {
                // this node's API is not up (starting, or its Patroni just died): ask the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The cluster as it is now. */
    DatabaseCluster snapshot() {
        Map<String, Member> members = members();
        List<DatabaseNode> snapshot = nodes.stream().map(node -> {
            Optional<ProcessHandle> patroni = node.patroni();
            Member member = members.get(node.name());
            String role = member != null ? member.role()
                    : patroni.isPresent() ? DatabaseNode.UNKNOWN : DatabaseNode.STOPPED;
            String state = member != null ? member.state()
                    : patroni.isPresent() ? "unregistered" : DatabaseNode.STOPPED;
            return new DatabaseNode(node.name(), node.postgresPort(), node.postmaster(), patroni, role, state);
        }).toList();
        return new DatabaseCluster(name, databases, snapshot);
    }

    /**
     * Writable now: a running leader that is not in recovery, and, since commits wait for a synchronous
     * standby (strict synchronous mode), a running synchronous standby.
     */
    boolean isWritable() {
        Map<String, Member> members = members();
        boolean leader = members.values().stream()
                .anyMatch(member -> DatabaseNode.LEADER.equals(member.role()) && DatabaseNode.RUNNING.equals(member.state()));
        boolean syncStandby = members.values().stream()
                .anyMatch(member -> DatabaseNode.SYNC_STANDBY.equals(member.role()) && DatabaseNode.RUNNING.equals(member.state()));
        if (!leader || !syncStandby) {
            return false;
        }
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT pg_is_in_recovery()")) {
            return rows.next() && !rows.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * The cluster-wide settings Patroni keeps in etcd: the timings, and synchronous replication. A commit is
     * acknowledged only once the synchronous standby has it on disk, and only that standby may be promoted;
     * strict: with no standby left, commits wait rather than go on with one copy. Failsafe: while etcd is
     * unreachable, a primary that can reach every other node of its cluster stays primary instead of
     * demoting itself (the local platform has one etcd, which would otherwise take every primary with it).
     */
    static Map<String, Object> dynamicSettings(PatroniTimings timings) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("ttl", timings.ttlSeconds());
        settings.put("loop_wait", timings.loopWaitSeconds());
        settings.put("retry_timeout", timings.retryTimeoutSeconds());
        settings.put("maximum_lag_on_failover", 1_048_576);
        settings.put("synchronous_mode", true);
        settings.put("synchronous_mode_strict", true);
        settings.put("failsafe_mode", true);
        return settings;
    }

    /**
     * Applies {@link #dynamicSettings} to a running cluster through a node's REST API: Patroni reads its
     * bootstrap section only when the cluster is made, so a cluster made by an older platform catches up here.
     */
    void applyDynamicSettings(PatroniTimings timings) {
        ask("PATCH", "/config", Json.MAPPER.writeValueAsString(dynamicSettings(timings)), Duration.ofSeconds(5))
                .orElseThrow(() -> new IllegalStateException("no node of cluster " + name + " took its settings (PATCH /config)"));
    }

    private static String yamlLines(Map<String, Object> settings, String indent) {
        StringBuilder lines = new StringBuilder();
        settings.forEach((key, value) -> lines.append(indent).append(key).append(": ").append(value).append('\n'));
        return lines.toString();
    }

    /** A value for a single-quoted YAML scalar. */
    private static String yamlQuoted(String value) {
        return value.replace("'", "''");
    }

    /** Patroni's configuration file for {@code node}. */
    String config(PatroniNode node, String etcdEndpoint, PatroniTimings timings) {
        return """
                # Written by the Nightjar local platform (./nightjar up --ha) at every start of this node.
                scope: %1$s
                namespace: %2$s
                name: %3$s
                log:
                  dir: '%4$s'
                  level: INFO
                  file_size: 8388608
                  file_num: 2
                restapi:
                  listen: 127.0.0.1:%5$d
                  connect_address: 127.0.0.1:%5$d
                etcd3:
                  hosts: %6$s
                watchdog:
                  mode: 'off'
                bootstrap:
                  # The cluster-wide settings, as made with the cluster; every start applies them again (PATCH /config).
                  dcs:
                %7$s    postgresql:
                      use_pg_rewind: true
                      use_slots: true
                      parameters:
                        wal_log_hints: 'on'
                        max_connections: 300
                        shared_buffers: 64MB
                        max_wal_size: 1GB
                        max_prepared_transactions: 0
                        password_encryption: scram-sha-256
                        # a replica whose primary changed reconnects within half a second, not the default five
                        wal_retrieve_retry_interval: 500ms
                        log_min_messages: warning
                  initdb:
                    - encoding: UTF8
                    - locale: C.UTF-8
                    - auth-host: scram-sha-256
                    - auth-local: scram-sha-256
                postgresql:
                  listen: 127.0.0.1:%10$d
                  connect_address: 127.0.0.1:%10$d
                  data_dir: '%11$s'
                  bin_dir: '%12$s'
                  pgpass: '%13$s'
                  # a node that cannot rewind, or whose timeline diverged, is cloned again from the primary
                  remove_data_directory_on_rewind_failure: true
                  remove_data_directory_on_diverged_timelines: true
                  authentication:
                    superuser:
                      username: %14$s
                      password: '%15$s'
                    replication:
                      username: %16$s
                      password: '%17$s'
                  parameters:
                    unix_socket_directories: '%18$s'
                  pg_hba:
                    - local all all scram-sha-256
                    - host all all 127.0.0.1/32 scram-sha-256
                    - host replication %16$s 127.0.0.1/32 scram-sha-256
                """.formatted(name, NAMESPACE, node.name(), node.home().resolve("log"), node.restApiPort(), etcdEndpoint,
                yamlLines(dynamicSettings(timings), "    "), null, null, node.postgresPort(),
                node.dataDir(), PatroniNode.POSTGRES_BIN, node.home().resolve("pgpass"), LocalPostgres.SUPERUSER,
                yamlQuoted(superuserPassword), REPLICATION_USER, yamlQuoted(replicationPassword), node.home().resolve("socket"));
    }
}
