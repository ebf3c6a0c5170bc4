package dev.nightjar.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/** The firewall's rules without regular expressions refuse exactly what its defaults refuse. */
class HeaderCharactersTest {

    /** StrictHttpFirewall's default rules (Spring Security 7.1). */
    private static final Pattern NAME = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void everyCodePointIsJudgedAsTheDefaultExpressionsJudgeIt() {
        int differences = 0;
        int refusedNames = 0;
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String s = new String(Character.toChars(codePoint));
            boolean name = HeaderCharacters.name(s);
            if (name != NAME.matcher(s).matches() || HeaderCharacters.value(s) != VALUE.matcher(s).matches()) {
                differences++;
            }
            refusedNames += name ? 0 : 1;
        }
        assertThat(differences).isZero();
        assertThat(refusedNames).as("controls and unassigned code points are refused").isGreaterThan(65);
        assertThat(HeaderCharacters.value("\t")).isTrue();
        assertThat(HeaderCharacters.name("\t")).isFalse();
    }

    @Test
    void randomStringsWithSurrogatesAndControlsAreJudgedTheSame() {
        SplittableRandom random = new SplittableRandom(20261206);
        char[] alphabet = {'a', 'Z', '0', ' ', '\t', '\n', '\u0000', '\u007f', '\u0085', '\u00e9', '\u0378', '\ud83d',
                '\ude00', '\ud800', '\udfff', '\uffff', '\u200b', '='};
        for (int n = 0; n < 20_000; n++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                s.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String text = s.toString();
            assertThat(HeaderCharacters.name(text)).as("name %s", text.codePoints().boxed().toList())
                    .isEqualTo(NAME.matcher(text).matches());
            assertThat(HeaderCharacters.value(text)).as("value %s", text.codePoints().boxed().toList())
                    .isEqualTo(VALUE.matcher(text).matches());
        }
    }

    @Test
    void theGatewaysFirewallRefusesTheHeadersAndParametersTheDefaultFirewallRefuses() {
        StrictHttpFirewall defaults = new StrictHttpFirewall();
        StrictHttpFirewall ours = new StrictHttpFirewall();
        ours.setAllowedHeaderNames(HeaderCharacters::name);
        ours.setAllowedHeaderValues(HeaderCharacters::value);
        ours.setAllowedParameterNames(HeaderCharacters::name);
        List<String> samples = new ArrayList<>(List.of("plain", "tab\there", "line\nbreak", "nul\u0000", "del\u007f",
                "next\u0085line", "caf\u00e9", "unassigned\u0378", "emoji\ud83d\ude00", "lone\ud800", "Bearer eyJ.a-b_c~d+e/f=="));
        int refused = 0;
        for (String sample : samples) {
            for (String part : List.of("header name", "header value", "parameter name")) {
                boolean byDefault = refuses(defaults, part, sample);
                assertThat(refuses(ours, part, sample)).as("%s %s", part, sample).isEqualTo(byDefault);
                refused += byDefault ? 1 : 0;
            }
        }
        assertThat(refused).as("the samples include refused ones").isGreaterThan(10);
    }

    private static boolean refuses(StrictHttpFirewall firewall, String part, String sample) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/payments");
        switch (part) {
            case "header name" -> request.addHeader(sample, "x");
            case "header value" -> request.addHeader("X-Sample", sample);
            default -> request.addParameter(sample, "x");
        }
        try {
            var firewalled = firewall.getFirewalledRequest(request);
            // header and parameter rules are applied as they are read
            firewalled.getHeaderNames().asIterator().forEachRemaining(name -> firewalled.getHeaders(name).asIterator()
                    .forEachRemaining(value -> { }));
            firewalled.getParameterMap();
            return false;
        } catch (RequestRejectedException e) {
            return true;
        }
    }
}
