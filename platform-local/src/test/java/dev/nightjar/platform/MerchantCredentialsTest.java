package dev.nightjar.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A merchant's credentials, printed anywhere, show the ids and never the client's secret. */
class MerchantCredentialsTest {

    @Test
    void printedCredentialsHideTheClientSecret() {
        MerchantApi.Credentials credentials = new MerchantApi.Credentials("mer_1", "cli_1", "s3cret-value");

        assertThat(credentials.toString()).contains("mer_1", "cli_1").doesNotContain("s3cret-value");
    }
}
