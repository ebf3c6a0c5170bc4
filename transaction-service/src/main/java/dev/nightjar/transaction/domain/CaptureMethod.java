package dev.nightjar.transaction.domain;

/** Whether an approved authorization is captured at once or later by the merchant. */
public enum CaptureMethod {
    AUTOMATIC, MANUAL;

    public String apiName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static CaptureMethod fromApiName(String name) {
        if (name == null || name.equals("automatic")) {
            return AUTOMATIC;
        }
        if (name.equals("manual")) {
            return MANUAL;
        }
        throw new IllegalArgumentException("capture_method must be automatic or manual");
    }
}
