package dev.nightjar.contracts.card;

/** Card number rules: shape, Luhn check, brand by BIN range. Pure functions; the number itself is never kept. */
public final class CardNumbers {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 19;

    private CardNumbers() {
    }

    /** True for 12 to 19 ASCII digits passing the Luhn check. */
    public static boolean isValid(String number) {
        if (number == null || number.length() < MIN_LENGTH || number.length() > MAX_LENGTH) {
            return false;
        }
        int sum = 0;
        boolean doubleIt = false;
        for (int i = number.length() - 1; i >= 0; i--) {
            char c = number.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            int digit = c - '0';
            if (doubleIt) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    /** The brand the number's BIN belongs to: visa, mastercard, amex, discover, jcb, diners, unionpay or unknown. */
    public static String brand(String number) {
        if (number == null || number.length() < 6) {
            return "unknown";
        }
        int two = Integer.parseInt(number.substring(0, 2));
        int three = Integer.parseInt(number.substring(0, 3));
        int four = Integer.parseInt(number.substring(0, 4));
        int six = Integer.parseInt(number.substring(0, 6));
        if (number.charAt(0) == '4') {
            return "visa";
        }
        if ((two >= 51 && two <= 55) || (six >= 222100 && six <= 272099)) {
            return "mastercard";
        }
        if (two == 34 || two == 37) {
            return "amex";
        }
        if (four == 6011 || two == 65 || (three >= 644 && three <= 649) || (six >= 622126 && six <= 622925)) {
            return "discover";
        }
        if (four >= 3528 && four <= 3589) {
            return "jcb";
        }
        if (two == 36 || two == 38 || two == 39 || (three >= 300 && three <= 305)) {
            return "diners";
        }
        if (two == 62) {
            return "unionpay";
        }
        return "unknown";
    }

    /** The first six digits, which PCI DSS allows to be shown with the last four. */
    public static String bin(String number) {
        return number.substring(0, 6);
    }

    public static String last4(String number) {
        return number.substring(number.length() - 4);
    }
}
