package dev.nightjar.risk;

import dev.nightjar.common.batch.BatchWriter;
import dev.nightjar.risk.decision.DecisionLog;
import dev.nightjar.risk.decision.RiskEngine;
import dev.nightjar.risk.decision.RiskProperties;
import dev.nightjar.risk.features.FeatureStore;
import dev.nightjar.risk.model.RiskModel;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
class RiskConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RiskConfiguration.class);
    private static final LongSupplier CLOCK = System::currentTimeMillis;

    @Bean
    RiskModel riskModel() {
        RiskModel model = RiskModel.fromClasspath();
        log.info("risk model {} trained {} (holdout ROC AUC {})", model.version(), model.file().trainedAt(),
                model.file().evaluation() == null ? "n/a" : model.file().evaluation().auc());
        return model;
    }

    @Bean
    FeatureStore featureStore(RiskProperties properties) {
        RiskProperties.FeatureLimits limits = properties.features();
        return new FeatureStore(new FeatureStore.Limits(limits.maxCards(), limits.maxMerchants(), limits.maxIps()));
    }

    @Bean
    RiskEngine riskEngine(RiskProperties properties, RiskModel model, FeatureStore store) {
        return new RiskEngine(properties, model, store, CLOCK);
    }

    @Bean
    DecisionLog decisionLog(JdbcTemplate jdbc) {
        return new DecisionLog(jdbc);
    }

    @Bean
    BatchWriter<DecisionLog.LoggedDecision> decisionLogWriter(DecisionLog decisionLog, MeterRegistry meters) {
        return new BatchWriter<>("risk-decisions", 100_000, 500, Duration.ofMillis(50), decisionLog::insert, meters);
    }
}
