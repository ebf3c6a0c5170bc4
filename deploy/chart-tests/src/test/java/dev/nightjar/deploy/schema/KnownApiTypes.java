package dev.nightjar.deploy.schema;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The API types the chart may render, each bound to the typed model it is checked against. Anything
 * else (a new kind, a typo in a group or version, a version the cluster no longer serves) is unknown and
 * fails. Adding a kind to the chart means adding it here, on purpose.
 */
public final class KnownApiTypes {

    private static final Map<String, Class<?>> TYPES = build();

    private KnownApiTypes() {
    }

    public static Optional<Class<?>> lookup(String apiVersion, String kind) {
        return Optional.ofNullable(TYPES.get(key(apiVersion, kind)));
    }

    public static Iterable<String> names() {
        return TYPES.keySet();
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + " " + kind;
    }

    private static Map<String, Class<?>> build() {
        Map<String, Class<?>> types = new LinkedHashMap<>();
        // Kubernetes, from the fabric8 kubernetes-model jars.
        put(types, "v1", io.fabric8.kubernetes.api.model.ConfigMap.class);
        put(types, "v1", io.fabric8.kubernetes.api.model.Secret.class);
        put(types, "v1", io.fabric8.kubernetes.api.model.Service.class);
        put(types, "v1", io.fabric8.kubernetes.api.model.ServiceAccount.class);
        put(types, "v1", io.fabric8.kubernetes.api.model.Pod.class);
        put(types, "v1", io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class);
        put(types, "v1", io.fabric8.kubernetes.api.model.Namespace.class);
        put(types, "v1", io.fabric8.kubernetes.api.model.LimitRange.class);
        put(types, "v1", io.fabric8.kubernetes.api.model.ResourceQuota.class);
        put(types, "apps/v1", io.fabric8.kubernetes.api.model.apps.Deployment.class);
        put(types, "apps/v1", io.fabric8.kubernetes.api.model.apps.StatefulSet.class);
        put(types, "apps/v1", io.fabric8.kubernetes.api.model.apps.DaemonSet.class);
        put(types, "batch/v1", io.fabric8.kubernetes.api.model.batch.v1.Job.class);
        put(types, "batch/v1", io.fabric8.kubernetes.api.model.batch.v1.CronJob.class);
        put(types, "policy/v1", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class);
        put(types, "networking.k8s.io/v1", io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class);
        put(types, "networking.k8s.io/v1", io.fabric8.kubernetes.api.model.networking.v1.Ingress.class);
        put(types, "autoscaling/v2", io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class);
        put(types, "rbac.authorization.k8s.io/v1", io.fabric8.kubernetes.api.model.rbac.Role.class);
        put(types, "rbac.authorization.k8s.io/v1", io.fabric8.kubernetes.api.model.rbac.RoleBinding.class);
        put(types, "rbac.authorization.k8s.io/v1", io.fabric8.kubernetes.api.model.rbac.ClusterRole.class);
        put(types, "rbac.authorization.k8s.io/v1", io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class);
        // Strimzi, from io.strimzi:api.
        put(types, "kafka.strimzi.io/v1beta2", io.strimzi.api.kafka.model.kafka.Kafka.class);
        put(types, "kafka.strimzi.io/v1beta2", io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class);
        put(types, "kafka.strimzi.io/v1beta2", io.strimzi.api.kafka.model.topic.KafkaTopic.class);
        put(types, "kafka.strimzi.io/v1beta2", io.strimzi.api.kafka.model.user.KafkaUser.class);
        // Istio, from fabric8 istio-model.
        put(types, "security.istio.io/v1", io.fabric8.istio.api.security.v1.PeerAuthentication.class);
        put(types, "security.istio.io/v1", io.fabric8.istio.api.security.v1.AuthorizationPolicy.class);
        put(types, "security.istio.io/v1", io.fabric8.istio.api.security.v1.RequestAuthentication.class);
        put(types, "networking.istio.io/v1", io.fabric8.istio.api.networking.v1.DestinationRule.class);
        put(types, "networking.istio.io/v1", io.fabric8.istio.api.networking.v1.VirtualService.class);
        put(types, "networking.istio.io/v1", io.fabric8.istio.api.networking.v1.Gateway.class);
        put(types, "networking.istio.io/v1", io.fabric8.istio.api.networking.v1.ServiceEntry.class);
        put(types, "networking.istio.io/v1", io.fabric8.istio.api.networking.v1.Sidecar.class);
        // prometheus-operator, from fabric8 openshift-model-monitoring (the upstream monitoring.coreos.com types).
        put(types, "monitoring.coreos.com/v1", io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class);
        put(types, "monitoring.coreos.com/v1", io.fabric8.openshift.api.model.monitoring.v1.PodMonitor.class);
        put(types, "monitoring.coreos.com/v1", io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule.class);
        // cert-manager, from fabric8 certmanager-model-v1.
        put(types, "cert-manager.io/v1", io.fabric8.certmanager.api.model.v1.Certificate.class);
        return Map.copyOf(types);
    }

    private static void put(Map<String, Class<?>> types, String apiVersion, Class<?> type) {
        types.put(key(apiVersion, type.getSimpleName()), type);
    }
}
