package dev.nightjar.deploy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.deploy.chart.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the policies need to know about the pods a manifest creates. */
final class Pods {

    private Pods() {
    }

    /** Containers and init containers of a workload's pod template. */
    static List<JsonNode> allContainers(Manifest workload) {
        List<JsonNode> containers = new ArrayList<>();
        workload.podSpec().path("initContainers").forEach(containers::add);
        workload.podSpec().path("containers").forEach(containers::add);
        return containers;
    }

    /** A Patroni (PostgreSQL) member: recognised by a container's image, command, arguments or PATRONI_* environment. */
    static boolean isPatroni(Manifest workload) {
        if (!workload.hasPodTemplate()) {
            return false;
        }
        for (JsonNode container : allContainers(workload)) {
            StringBuilder text = new StringBuilder(container.path("image").asText());
            container.path("command").forEach(part -> text.append(' ').append(part.asText()));
            container.path("args").forEach(part -> text.append(' ').append(part.asText()));
            container.path("env").forEach(env -> text.append(' ').append(env.path("name").asText()));
            if (text.toString().toLowerCase(Locale.ROOT).contains("patroni")) {
                return true;
            }
        }
        return false;
    }

    /** The long-running workloads of one Nightjar service (its database members excluded). */
    static List<Manifest> serviceWorkloads(List<Manifest> manifests, Workload workload) {
        return manifests.stream()
                .filter(m -> m.is("Deployment") || m.is("StatefulSet") || m.is("DaemonSet"))
                .filter(m -> workload.workloadName().equals(m.labels().get(Workload.NAME_LABEL)))
                .filter(m -> !isPatroni(m))
                .toList();
    }

    /** Every pod template that belongs to one Nightjar service, its database members included. */
    static List<Map<String, String>> podLabelsOf(List<Manifest> manifests, Workload workload) {
        return manifests.stream()
                .filter(Manifest::hasPodTemplate)
                .filter(m -> workload.workloadName().equals(m.labels().get(Workload.NAME_LABEL))
                        || workload.workloadName().equals(m.podLabels().get(Workload.NAME_LABEL)))
                .map(Manifest::podLabels)
                .toList();
    }
}
