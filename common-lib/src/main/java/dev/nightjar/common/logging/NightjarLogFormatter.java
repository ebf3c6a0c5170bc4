package dev.nightjar.common.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Instant;
import java.util.Map;
import org.springframework.boot.logging.structured.JsonWriterStructuredLogFormatter;
import org.springframework.core.env.Environment;

/**
 * One JSON object per log line: time, level, service, logger, thread, trace and span ids, message and
 * stack trace, with anything shaped like a card number masked in the message and the stack trace.
 */
public final class NightjarLogFormatter extends JsonWriterStructuredLogFormatter<ILoggingEvent> {

    public NightjarLogFormatter(Environment environment, ThrowableProxyConverter throwableProxyConverter) {
        super(members -> {
            String service = environment.getProperty("spring.application.name", "nightjar");
            members.add("@timestamp", event -> Instant.ofEpochMilli(event.getTimeStamp()).toString());
            members.add("level", event -> event.getLevel().toString());
            members.add("service", service);
            members.add("logger", ILoggingEvent::getLoggerName);
            members.add("thread", ILoggingEvent::getThreadName);
            members.add("trace_id", event -> mdc(event, "traceId")).whenNotNull();
            members.add("span_id", event -> mdc(event, "spanId")).whenNotNull();
            members.add("message", event -> PanMasker.mask(event.getFormattedMessage()));
            members.add("error", event -> PanMasker.mask(throwableProxyConverter.convert(event)))
                    .whenHasLength();
        }, null);
    }

    private static String mdc(ILoggingEvent event, String key) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        return mdc == null ? null : mdc.get(key);
    }
}
