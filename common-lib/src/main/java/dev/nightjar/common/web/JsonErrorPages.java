package dev.nightjar.common.web;

import org.apache.catalina.Container;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Puts {@link JsonErrorReportValve} in place of Tomcat's HTML error report on every host of a server, as its
 * connector starts (the host has started by then and no request has arrived yet). Registered for the
 * application server and, through the management context, for the management server.
 */
public final class JsonErrorPages implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> connector.addLifecycleListener(event -> {
            if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                install((Connector) event.getLifecycle());
            }
        }));
    }

    static void install(Connector connector) {
        if (connector.getService() == null || connector.getService().getContainer() == null) {
            return;
        }
        for (Container child : connector.getService().getContainer().findChildren()) {
            if (child instanceof StandardHost host) {
                // a host that starts again installs ours by name
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
                Pipeline pipeline = host.getPipeline();
                boolean installed = false;
                for (Valve valve : pipeline.getValves()) {
                    if (valve instanceof JsonErrorReportValve) {
                        installed = true;
                    } else if (valve instanceof ErrorReportValve) {
                        pipeline.removeValve(valve);
                    }
                }
                if (!installed) {
                    pipeline.addValve(new JsonErrorReportValve());
                }
            }
        }
    }
}
