package dev.nightjar.vault.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CvcTest {

    @Test
    void aCvcIsThreeOrFourAsciiDigitsAsTheRegularExpressionSays() {
        List<String> cvcs = new ArrayList<>(List.of("", "1", "12", "123", "1234", "12345", "12a", "a123", " 123", "123 ",
                "١٢٣", "１２３", "12\n", "0000", "999", "-12", "+123", "12.3"));
        Random random = new Random(7);
        String alphabet = "0123456789 a-\n٣９";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder cvc = new StringBuilder();
            int length = random.nextInt(7);
            for (int j = 0; j < length; j++) {
                cvc.append(random.nextInt(4) == 0 ? alphabet.charAt(random.nextInt(alphabet.length())) : (char) ('0' + random.nextInt(10)));
            }
            cvcs.add(cvc.toString());
        }
        int accepted = 0;
        for (String cvc : cvcs) {
            boolean expected = cvc.matches("[0-9]{3,4}");
            assertThat(TokenService.isCvc(cvc)).as("%s", cvc).isEqualTo(expected);
            accepted += expected ? 1 : 0;
        }
        assertThat(accepted).isGreaterThan(1_000);
    }
}
