package dev.nightjar.vault;

import java.util.concurrent.ThreadLocalRandom;

/** Test card numbers: random, Luhn-valid, 16 digits on a test BIN. */
final class Cards {

    private Cards() {
    }

    static String random() {
        StringBuilder number = new StringBuilder("400000");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (number.length() < 15) {
            number.append(random.nextInt(10));
        }
        int sum = 0;
        for (int i = 0; i < 15; i++) {
            int digit = number.charAt(14 - i) - '0';
            if (i % 2 == 0) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        return number.append((10 - sum % 10) % 10).toString();
    }
}
