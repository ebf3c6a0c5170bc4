package dev.nightjar.contracts.contract;

/** What a card network answers an operation in {@link AcquirerProtocol}: it acted, or it refused. */
public enum NetworkAnswer implements WireValue {
    APPROVED,
    DECLINED;

    public static NetworkAnswer of(String wire) {
        return WireValue.parse(NetworkAnswer.class, wire);
    }
}
