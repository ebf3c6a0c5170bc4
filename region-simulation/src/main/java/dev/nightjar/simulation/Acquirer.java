package dev.nightjar.simulation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The card network's side, shared by both regions: charges at most once per reference (a repeated reference gets
 * the first charge back, payment id included), answers inquiries by reference without charging, and lists the
 * charges for some merchants since a moment, as an acquirer's records and settlement reports do. Its records are
 * the evidence every invariant about money is held against.
 *
 * <p>Abstracts away: declines, captures separate from authorizations, refunds, fees, a second acquirer, and its
 * own outages (the network's faults stand in for them).
 */
final class Acquirer implements Node {

    /** One charge: the reference it was made under and what the authorization carried. */
    record Charge(String reference, String paymentId, String merchant, String key, long amountMinor, String currency,
                  long chargedAtMillis, String chargedBy) {
    }

    private final Simulation sim;
    private final Map<String, Charge> byReference = new LinkedHashMap<>();

    Acquirer(Simulation sim) {
        this.sim = sim;
    }

    @Override
    public void receive(String from, Message message) {
        switch (message) {
            case Message.Authorize authorize -> {
                Charge charge = byReference.get(authorize.reference());
                if (charge == null) {
                    charge = new Charge(authorize.reference(), authorize.paymentId(), authorize.merchant(),
                            authorize.key(), authorize.amountMinor(), authorize.currency(), sim.now(), from);
                    byReference.put(charge.reference(), charge);
                    sim.trace("acquirer charged %s %d %s for %s (%s, from %s)", charge.reference(), charge.amountMinor(),
                            charge.currency(), charge.paymentId(), charge.merchant(), from);
                }
                sim.network().send(Topology.ACQUIRER, from, new Message.Authorized(charge));
            }
            case Message.Inquire inquire ->
                    sim.network().send(Topology.ACQUIRER, from, new Message.InquiryAnswer(inquire.reference(),
                            byReference.get(inquire.reference())));
            case Message.ListCharges list -> {
                List<Charge> charges = new ArrayList<>();
                for (Charge charge : byReference.values()) {
                    if (list.merchants().contains(charge.merchant()) && charge.chargedAtMillis() >= list.sinceMillis()) {
                        charges.add(charge);
                    }
                }
                sim.network().send(Topology.ACQUIRER, from, new Message.ChargeList(list.shard(), List.copyOf(charges)));
            }
            default -> throw new IllegalStateException("the acquirer does not take " + message);
        }
    }

    Collection<Charge> charges() {
        return Collections.unmodifiableCollection(byReference.values());
    }
}
