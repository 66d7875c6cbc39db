package dev.imagegateway.api;

import io.quarkus.logging.Log;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Puts the request id on every response, error or not, and into the logging context. */
public class RequestIdFilter {

    static final String HEADER = "x-request-id";
    static final String MDC_KEY = "requestId";

    private final RequestId requestId;

    public RequestIdFilter(RequestId requestId) {
        this.requestId = requestId;
    }

    @ServerRequestFilter(preMatching = true)
    public void enter(ContainerRequestContext request) {
        MDC.put(MDC_KEY, requestId.value());
    }

    @ServerResponseFilter
    public void leave(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().putSingle(HEADER, requestId.value());
        Log.infof("%s %s answered %d", request.getMethod(), request.getUriInfo().getPath(), response.getStatus());
        MDC.remove(MDC_KEY);
    }
}
