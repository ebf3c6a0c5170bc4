package dev.nightjar.acquirer;

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

    public static void main(String[] args) {
        SpringApplication.run(AcquirerSimulatorApplication.class, args);
    }
}
