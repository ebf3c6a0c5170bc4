package dev.nightjar.transaction;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The payment state machine: payments, idempotency and the transactional outbox, sharded by merchant. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TransactionApplication {

    public static void main(String[] args) {
        SpringApplication.run(TransactionApplication.class, args);
    }
}
