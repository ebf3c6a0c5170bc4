package dev.nightjar.acquirer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** A stand-in for a card network and its issuers: answers authorizations for the test cards and records every charge. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AcquirerSimulatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(AcquirerSimulatorApplication.class, args);
    }
}
