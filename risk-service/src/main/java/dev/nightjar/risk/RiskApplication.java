package dev.nightjar.risk;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Risk decisions before authorization: allow, review or block, with a score and reasons. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RiskApplication {

    public static void main(String[] args) {
        SpringApplication.run(RiskApplication.class, args);
    }
}
