package dev.nightjar.settlement;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Settlement with acquirers: what is owed, batched at cut-off, reconciled against the ledger. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SettlementApplication {

    public static void main(String[] args) {
        SpringApplication.run(SettlementApplication.class, args);
    }
}
