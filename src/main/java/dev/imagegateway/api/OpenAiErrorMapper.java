package dev.imagegateway.api;

import dev.imagegateway.error.ErrorAnswer;
import dev.imagegateway.error.ErrorTypes;
import dev.imagegateway.error.GatewayException;
import dev.imagegateway.error.OpenAiError;
import dev.imagegateway.observability.RequestLogFields;
import io.quarkus.logging.Log;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become HTTP answers: always the OpenAI envelope, never a stack trace.
 * What each failure is to the caller is its own to say ({@link GatewayException#status()} and the
 * rest); this writes it out, with {@code Retry-After} and {@code x-should-retry}, and notes it in the
 * request line.
 */
public class OpenAiErrorMapper {

    /** The answer header the official SDKs obey over their own retry rule (they retry 408, 409, 429, 5xx). */
    static final String SHOULD_RETRY = "x-should-retry";

    @ServerExceptionMapper
    public Response gateway(GatewayException e) {
        return answer(e);
    }

    /**
     * The answer to a gateway failure, for the mapper of a resource that alone can tell what a failure
     * is (a multipart body the form parser could not read).
     */
    static Response answer(GatewayException e) {
        ErrorAnswer answer = ErrorAnswer.of(e);
        record(answer.error(), e.outcome());
        return response(answer);
    }

    /**
     * The error that ends an event stream the upstream had already accepted: the same envelope the
     * failure would get as an HTTP answer, sent as the stream's last event, and noted in the request
     * line as an error although the status is 200.
     */
    public static OpenAiError streamError(GatewayException e) {
        ErrorAnswer answer = ErrorAnswer.of(e);
        record(answer.error(), e.outcome());
        return answer.error();
    }

    // A wrong path and a wrong method get OpenAI's own answer: "Invalid URL (METHOD /path)", no code.
    @ServerExceptionMapper
    public Response notFound(NotFoundException e, ContainerRequestContext request) {
        return answer(404, invalidUrl(request));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, ContainerRequestContext request) {
        return answer(405, invalidUrl(request));
    }

    private static OpenAiError invalidUrl(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        return OpenAiError.of("Invalid URL (" + request.getMethod() + " " + (path.startsWith("/") ? path : "/" + path)
                + ")", ErrorTypes.INVALID_REQUEST, null, null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            Log.errorf("Request failed: %s", e.getClass().getName());
            return internal(ErrorAnswer.internal());
        }
        return answer(status, OpenAiError.of("The request could not be served (HTTP " + status + ").",
                ErrorTypes.INVALID_REQUEST, null, null));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        return internal(ErrorAnswer.unexpected(e));
    }

    private static Response internal(ErrorAnswer answer) {
        record(answer.error(), codeOf(answer.error()));
        return response(answer);
    }

    private static Response response(ErrorAnswer answer) {
        Response.ResponseBuilder builder = Response.status(answer.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(answer.error());
        answer.retryAfter().ifPresent(value -> builder.header("Retry-After", value));
        if (answer.advisesRetry()) {
            builder.header(SHOULD_RETRY, Boolean.toString(answer.retrySafe()));
        }
        return builder.build();
    }

    /**
     * Notes the error in the request line: its code as given, and a bounded outcome for metrics
     * (upstream codes are free text and would make a metric dimension unbounded).
     */
    private static void record(OpenAiError error, String outcome) {
        RequestLogFields.put(RequestLogFields.ERROR_CODE, codeOf(error));
        RequestLogFields.put(RequestLogFields.OUTCOME, outcome);
    }

    private static String codeOf(OpenAiError error) {
        return error.error().code() != null ? error.error().code() : error.error().type();
    }

    private static Response answer(int status, OpenAiError error) {
        record(error, codeOf(error));
        return response(new ErrorAnswer(status, error, Optional.empty(), false));
    }
}
