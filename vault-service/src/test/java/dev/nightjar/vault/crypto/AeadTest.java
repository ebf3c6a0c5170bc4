package dev.nightjar.vault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.Test;

class AeadTest {

    @Test
    void sealedUnderInterleavedKeysEachOpensUnderItsOwnAndAsPlainAesGcm() throws Exception {
        KeyGenerator aes = KeyGenerator.getInstance("AES");
        aes.init(256);
        SecretKey first = aes.generateKey();
        SecretKey second = aes.generateKey();
        for (int i = 0; i < 200; i++) {
            SecretKey key = i % 2 == 0 ? first : second;
            byte[] plaintext = ("4111111111111111 #" + i).getBytes(StandardCharsets.US_ASCII);
            String context = "tok_" + i + "|mer_" + (i % 3);
            byte[] sealed = Aead.encrypt(key, plaintext, context);
            assertThat(Aead.decrypt(key, sealed, context)).isEqualTo(plaintext);
            // the layout is nonce, then AES-GCM's ciphertext and tag: any AES-GCM opens it
            Cipher plain = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
            plain.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, Arrays.copyOf(sealed, 12)));
            plain.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            assertThat(plain.doFinal(sealed, 12, sealed.length - 12)).isEqualTo(plaintext);
        }
    }

    @Test
    void aTamperedCiphertextOrAnotherContextIsRefusedAndTheNextOpensAsBefore() throws Exception {
        KeyGenerator aes = KeyGenerator.getInstance("AES");
        aes.init(256);
        SecretKey key = aes.generateKey();
        byte[] plaintext = "5555555555554444".getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = Aead.encrypt(key, plaintext, "tok_a|mer_1");
        for (int i = 0; i < 20; i++) {
            byte[] tampered = sealed.clone();
            tampered[12 + i % (tampered.length - 12)] ^= 1;
            assertThatThrownBy(() -> Aead.decrypt(key, tampered, "tok_a|mer_1"))
                    .hasMessageContaining("wrong key or tampered ciphertext");
            assertThatThrownBy(() -> Aead.decrypt(key, sealed, "tok_a|mer_2"))
                    .hasMessageContaining("wrong key or tampered ciphertext");
            assertThat(Aead.decrypt(key, sealed, "tok_a|mer_1")).isEqualTo(plaintext);
            assertThat(Aead.decrypt(key, Aead.encrypt(key, plaintext, "tok_b"), "tok_b")).isEqualTo(plaintext);
        }
    }
}
