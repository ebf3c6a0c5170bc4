package dev.nightjar.platform;

/**
 * Every port of a local platform, derived from two numbers so a second platform (the end-to-end tests)
 * can run beside a developer's without clashing. Each service's management port is its port + 100.
 *
 * @param gateway the merchant-facing HTTPS port (8443 by default)
 * @param base    internal services listen on base+1.., Kafka on base+20 and +21, PostgreSQL on base+30
 */
public record Ports(int gateway, int base) {

    public static final Ports DEFAULT = new Ports(8443, 9100);

    public Ports {
        if (gateway < 1024 || gateway > 65_000 || base < 1024 || base > 65_000) {
            throw new IllegalArgumentException("ports out of range: gateway " + gateway + ", base " + base);
        }
    }

    public int service(FleetMember member) {
        return member == FleetMember.GATEWAY ? gateway : base + member.portOffset();
    }

    public int management(FleetMember member) {
        return member == FleetMember.GATEWAY ? base + 100 : service(member) + 100;
    }

    public int kafka() {
        return base + 20;
    }

    public int kafkaController() {
        return base + 21;
    }

    public int postgres() {
        return base + 30;
    }
}
