package dev.imagegateway.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * OpenAI's API answers JSON (an event stream when the body asks for one, a file's own type for its
 * content) whatever the caller's {@code Accept} says. JAX-RS instead refuses an {@code Accept} that names
 * none of a route's types ({@code text/plain}, a browser's {@code text/html}) with a 406 before the route
 * runs. Every route chooses its answer's type itself, so the header is dropped before matching.
 */
public class IgnoredAccept {

    @ServerRequestFilter(preMatching = true)
    public void ignoreAccept(ContainerRequestContext request) {
        request.getHeaders().remove(HttpHeaders.ACCEPT);
    }
}
