package dev.nightjar.ledger.journal;

/** Account codes: {@code <kind>:<owner>:<currency>}. One account per owner and currency, so currencies never mix. */
public final class Accounts {

    public static final String MERCHANT_PAYABLE = "merchant_payable";
    public static final String ACQUIRER_RECEIVABLE = "acquirer_receivable";
    public static final String FEE_REVENUE = "fee_revenue";
    public static final String CASH = "cash";
    public static final String SUSPENSE = "suspense";
    public static final String ACQUIRER_FEES = "acquirer_fees";
    public static final String AUTHORIZATION_HOLDS = "authorization_holds";
    public static final String AUTHORIZATION_HOLD_OFFSET = "authorization_hold_offset";
    /** The owner of Nightjar's own accounts (fee revenue, cash). */
    public static final String NIGHTJAR = "nightjar";

    private Accounts() {
    }

    public static String code(String kind, String owner, String currency) {
        return kind + ":" + owner + ":" + currency;
    }

    public static String kindOf(String code) {
        return code.substring(0, code.indexOf(':'));
    }

    public static String ownerOf(String code) {
        return code.substring(code.indexOf(':') + 1, code.lastIndexOf(':'));
    }

    public static String currencyOf(String code) {
        return code.substring(code.lastIndexOf(':') + 1);
    }
}
