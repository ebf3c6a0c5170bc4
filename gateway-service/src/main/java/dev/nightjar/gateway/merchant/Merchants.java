package dev.nightjar.gateway.merchant;

import dev.nightjar.contracts.id.Ids;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionTemplate;

/** Merchants and their OAuth2 clients. A client secret is shown once, at creation, and kept only as a hash. */
public final class Merchants {

    public static final List<String> SCOPES = List.of("payments:read", "payments:write");
    private static final char[] SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int SECRET_LENGTH = 40;

    private final MerchantRepository merchants;
    private final ClientRepository clients;
    private final TransactionTemplate transactions;
    private final PasswordEncoder passwords;
    private final SecureRandom random = new SecureRandom();

    public Merchants(MerchantRepository merchants, ClientRepository clients, TransactionTemplate transactions,
              PasswordEncoder passwords) {
        this.merchants = merchants;
        this.clients = clients;
        this.transactions = transactions;
        this.passwords = passwords;
    }

    /** A new merchant with one client; the secret in the answer exists nowhere else. */
    public record CreatedMerchant(String merchantId, String name, String clientId, String clientSecret, List<String> scopes) {
    }

    public record Merchant(String id, String name, String status) {
    }

    /** A client as the authorization server needs it. */
    public record Client(String clientId, String merchantId, String secretHash, List<String> scopes) {
    }

    public CreatedMerchant create(String name) {
        String merchantId = Ids.newId(Ids.MERCHANT);
        String clientId = Ids.newId(Ids.CLIENT);
        String secret = "njs_" + randomSecret();
        String hash = passwords.encode(secret);
        transactions.executeWithoutResult(status -> {
            merchants.save(new dev.nightjar.gateway.merchant.Merchant(merchantId, name));
            clients.save(new MerchantClient(clientId, merchantId, hash, SCOPES));
        });
        return new CreatedMerchant(merchantId, name, clientId, secret, SCOPES);
    }

    public Optional<Merchant> find(String merchantId) {
        return merchants.findById(merchantId).map(merchant -> merchant.view());
    }

    /** An active client of an active merchant. */
    public Optional<Client> client(String clientId) {
        return clients.findActive(clientId).map(MerchantClient::view);
    }

    private String randomSecret() {
        char[] out = new char[SECRET_LENGTH];
        for (int i = 0; i < out.length; i++) {
            out[i] = SECRET_ALPHABET[random.nextInt(SECRET_ALPHABET.length)];
        }
        return new String(out);
    }
}
