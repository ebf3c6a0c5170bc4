package dev.nightjar.platform.postgres;

import dev.nightjar.common.json.Json;
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
     * Multi-host URL parameters: only a primary is accepted; a host's role is trusted for one second only,
     * so the replica promoted a moment ago is tried again soon; connecting to a host and logging in are short,
     * as on loopback a live server answers at once and a dead one refuses at once.
     */
    static final String URL_PARAMETERS = "targetServerType=primary&hostRecheckSeconds=1&connectTimeout=1&loginTimeout=3";

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
        for (PatroniNode node : nodes) {
            if (node.patroni().isEmpty()) {
                continue;
            }
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + node.restApiPort() + "/cluster"))
                        .timeout(REST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    Map<String, Member> members = new HashMap<>();
                    for (JsonNode member : Json.MAPPER.readTree(response.body()).path("members")) {
                        members.put(member.path("name").asString(), new Member(member.path("role").asString(),
                                member.path("state").asString()));
                    }
                    return members;
                }
            } catch (IOException | RuntimeException e) {
                // this node's API is not up (starting, or its Patroni just died): ask the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Map.of();
            }
        }
        return Map.of();
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
                    : patroni.isPresent() ? "starting" : DatabaseNode.STOPPED;
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
                bootstrap:
                  # Applied once, when the cluster is made; later changes go through Patroni's REST API (PATCH /config).
                  dcs:
                    ttl: %7$d
                    loop_wait: %8$d
                    retry_timeout: %9$d
                    maximum_lag_on_failover: 1048576
                    # A commit is acknowledged only once a synchronous standby has it on disk, and only that
                    # standby may be promoted; strict: with no standby left, commits wait instead of going on alone.
                    synchronous_mode: true
                    synchronous_mode_strict: true
                    postgresql:
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
                timings.ttlSeconds(), timings.loopWaitSeconds(), timings.retryTimeoutSeconds(), node.postgresPort(),
                node.dataDir(), PatroniNode.POSTGRES_BIN, node.home().resolve("pgpass"), LocalPostgres.SUPERUSER,
                superuserPassword, REPLICATION_USER, replicationPassword, node.home().resolve("socket"));
    }
}
