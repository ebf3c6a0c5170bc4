package dev.nightjar.common.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * {@code nightjar_kafka_consumer_lag{group,topic}}: records behind the log end (the last stable offset, as
 * consumers read committed records only) over the partitions this instance's listeners own, from each
 * consumer's own {@code records-lag} metric, read every {@link #INTERVAL} by a {@code PeriodicSample}. A
 * consumer updates that metric when it fetches, so a listener stuck on one batch shows the lag of its last
 * fetch until it polls again. A topic whose partitions all went to other instances drops out of the gauge here.
 */
public final class ConsumerLag {

    public static final String METRIC = "nightjar.kafka.consumer.lag";
    public static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final String RECORDS_LAG = "records-lag";

    /** The lag of one consumer group on one topic, at this instance. */
    public record Lag(String group, String topic, double records) {
    }

    private final Supplier<Collection<MessageListenerContainer>> containers;
    private final MultiGauge gauge;
    /** One holder per series, for as long as the service runs: its gauge reads it, a refresh writes it. */
    private final Map<Tags, Records> series = new ConcurrentHashMap<>();

    private static final class Records {
        volatile double value;
    }

    /** @param containers the listener containers of the service, asked again at every sample */
    public ConsumerLag(Supplier<Collection<MessageListenerContainer>> containers, MeterRegistry meters) {
        this.containers = containers;
        this.gauge = MultiGauge.builder(METRIC)
                .description("Records behind the log end over the partitions this instance consumes")
                .register(meters);
    }

    /** Reads the lag again; what the gauge shows until the next call. */
    public void refresh() {
        show(current());
    }

    /**
     * Makes these the gauge's series. A series already shown keeps its gauge, which reads the new value; only
     * series that appear or go are registered or removed. Replacing a gauge (remove, then register again) while
     * the registry is being scraped can put the series in the scrape twice, and the whole scrape then fails
     * with a duplicate-labels error: seen after a restart of gateway-service and of risk-service.
     */
    void show(List<Lag> lags) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>(lags.size());
        for (Lag lag : lags) {
            Tags tags = Tags.of("group", lag.group(), "topic", lag.topic());
            Records records = series.computeIfAbsent(tags, t -> new Records());
            records.value = lag.records();
            rows.add(MultiGauge.Row.of(tags, records, held -> held.value));
        }
        gauge.register(rows, false);
    }

    /** The lag per group and topic now, summed over the partitions assigned to this instance's consumers. */
    public List<Lag> current() {
        Map<String, Map<String, Double>> sums = new TreeMap<>();
        for (MessageListenerContainer container : containers.get()) {
            for (MessageListenerContainer consumer : consumersOf(container)) {
                String group = consumer.getGroupId();
                if (group == null) {
                    continue;
                }
                lagByTopic(consumer.getAssignedPartitions(), consumer.metrics()).forEach((topic, lag) ->
                        sums.computeIfAbsent(group, g -> new TreeMap<>()).merge(topic, lag, Double::sum));
            }
        }
        List<Lag> lags = new ArrayList<>();
        sums.forEach((group, topics) -> topics.forEach((topic, lag) -> lags.add(new Lag(group, topic, lag))));
        return lags;
    }

    /** The containers that each hold one consumer: a concurrent container's children, or the container itself. */
    private static List<? extends MessageListenerContainer> consumersOf(MessageListenerContainer container) {
        return container instanceof ConcurrentMessageListenerContainer<?, ?> concurrent
                ? concurrent.getContainers() : List.of(container);
    }

    /**
     * One consumer's {@code records-lag} per topic, over its assigned partitions; a partition it has not fetched
     * from yet counts 0. Kafka names the topic in its metric tags with dots turned into underscores.
     */
    static Map<String, Double> lagByTopic(Collection<TopicPartition> assigned,
                                          Map<String, Map<MetricName, ? extends Metric>> metrics) {
        if (assigned == null || assigned.isEmpty()) {
            return Map.of();
        }
        Set<String> owned = assigned.stream().map(tp -> tp.topic().replace('.', '_') + "/" + tp.partition())
                .collect(Collectors.toSet());
        Map<String, String> topics = assigned.stream().collect(Collectors.toMap(
                tp -> tp.topic().replace('.', '_'), TopicPartition::topic, (a, b) -> a));
        Map<String, Double> byTopic = new TreeMap<>();
        topics.values().forEach(topic -> byTopic.put(topic, 0.0));
        for (Map<MetricName, ? extends Metric> ofClient : metrics.values()) {
            ofClient.forEach((name, metric) -> {
                String tagTopic = name.tags().get("topic");
                String partition = name.tags().get("partition");
                if (!RECORDS_LAG.equals(name.name()) || tagTopic == null || partition == null
                        || !owned.contains(tagTopic + "/" + partition)) {
                    return;
                }
                if (metric.metricValue() instanceof Number value && !Double.isNaN(value.doubleValue())) {
                    byTopic.merge(topics.get(tagTopic), value.doubleValue(), Double::sum);
                }
            });
        }
        return byTopic;
    }
}
