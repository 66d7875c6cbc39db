package dev.imagegateway.api;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Keeps the {@code Allow} header of the automatic {@code OPTIONS} answers true. RESTEasy lists
 * {@code HEAD} for every resource, but JAX-RS serves {@code HEAD} only where there is a {@code GET}: on a
 * POST-only route a client that believed the header got a 405.
 */
public class AllowedMethods {

    @ServerResponseFilter
    public void advertiseWhatIsServed(ContainerRequestContext request, ContainerResponseContext response) {
        if (!HttpMethod.OPTIONS.equals(request.getMethod())) {
            return;
        }
        List<String> allowed = response.getStringHeaders().getOrDefault(HttpHeaders.ALLOW, List.of()).stream()
                .flatMap(value -> Arrays.stream(value.split(","))).map(String::strip).filter(m -> !m.isEmpty())
                .distinct().toList();
        if (allowed.contains(HttpMethod.HEAD) && !allowed.contains(HttpMethod.GET)) {
            response.getHeaders().putSingle(HttpHeaders.ALLOW, allowed.stream()
                    .filter(method -> !method.equals(HttpMethod.HEAD)).collect(Collectors.joining(", ")));
        }
    }
}
