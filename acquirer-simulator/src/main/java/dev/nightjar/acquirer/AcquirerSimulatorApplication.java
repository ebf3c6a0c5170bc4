package dev.nightjar.acquirer;

import dev.nightjar.common.lifecycle.RequestPathWarmUp;
import dev.nightjar.contracts.contract.AcquirerProtocol;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** A stand-in for a card network and its issuers: answers authorizations for the test cards and records every charge. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AcquirerSimulatorApplication {

    @org.springframework.context.annotation.Bean
    Faults faults(SimulatorProperties properties) {
        return new Faults(new Faults.Settings(0, 0, false, properties.latencyMedian().toMillis(),
                properties.latencyP99().toMillis(), 0));
    }

    /**
     * The simulator's request path before it reports ready ({@link RequestPathWarmUp}): the test cards, a read.
     * An authorization would be a charge in its journal, so none is sent.
     */
    @org.springframework.context.annotation.Bean
    RequestPathWarmUp.Requests warmUpRequests() {
        return () -> java.util.List.of(RequestPathWarmUp.Request.get(AcquirerProtocol.TEST_CARDS, 200));
    }

    public static void main(String[] args) {
        SpringApplication.run(AcquirerSimulatorApplication.class, args);
    }
}
