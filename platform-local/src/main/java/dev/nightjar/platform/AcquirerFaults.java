package dev.nightjar.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The acquirer simulators' runtime fault switches ({@code /admin/faults}), as the operator flips them. */
public final class AcquirerFaults {

    private AcquirerFaults() {
    }

    /** Sets the switches (a JSON object such as {@code {"outage": true}}), or heals the acquirer when null. */
    public static void set(Platform platform, FleetMember acquirer, String settings) throws IOException, InterruptedException {
        if (!acquirer.isAcquirer()) {
            throw new IllegalArgumentException(acquirer.instance() + " is not an acquirer");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:"
                + platform.layout().ports().service(acquirer) + "/admin/faults"));
        request = settings == null ? request.DELETE()
                : request.header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(settings));
        HttpResponse<String> answer = new PlatformClient(platform.layout()).send(request, Duration.ofSeconds(10));
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("could not switch faults at " + acquirer.instance() + ": " + answer.body());
        }
    }
}
