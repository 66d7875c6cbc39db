package dev.imagegateway.api;

import dev.imagegateway.error.AuthenticationException;
import dev.imagegateway.error.GatewayException;
import dev.imagegateway.error.InvalidRequestException;
import dev.imagegateway.error.ModelNotFoundException;
import dev.imagegateway.error.PayloadTooLargeException;
import dev.imagegateway.error.StorageUnavailableException;
import dev.imagegateway.error.UpstreamFailureException;
import dev.imagegateway.error.UpstreamRejectedException;
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
 * The one place where failures become HTTP answers: always the OpenAI envelope, the contract's status
 * for each kind of failure, never a stack trace.
 */
public class OpenAiErrorMapper {

    private static final String INVALID_REQUEST = "invalid_request_error";
    /** The answer header the official SDKs obey over their own retry rule (they retry 408, 409, 429, 5xx). */
    static final String SHOULD_RETRY = "x-should-retry";

    @ServerExceptionMapper
    public Response gateway(GatewayException e) {
        ErrorAnswer answer = answerFor(e);
        record(answer.error(), outcomeOf(e, answer));
        Response.ResponseBuilder builder = Response.status(answer.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(answer.error());
        answer.retryAfter().ifPresent(value -> builder.header("Retry-After", value));
        if (answer.status() == 429 || answer.status() >= 500) {
            builder.header(SHOULD_RETRY, Boolean.toString(e.retrySafe()));
        }
        return builder.build();
    }

    /**
     * The status and envelope a failure gets. Public so that the batch sweep answers each job line
     * exactly as the endpoint would answer the same request.
     */
    public static ErrorAnswer answerFor(GatewayException e) {
        if (e instanceof UpstreamRejectedException rejected) {
            return new ErrorAnswer(rejected.upstreamStatus(), OpenAiError.of(e.getMessage(), rejected.type(),
                    e.param(), e.code(), rejected.otherFields()), rejected.retryAfter());
        }
        int status = statusOf(e);
        if (status >= 500) {
            Log.warnf("%s: %s%s", e.getClass().getSimpleName(), e.getMessage(),
                    e.getCause() == null ? "" : " (cause: " + e.getCause().getClass().getName() + ")");
        }
        return new ErrorAnswer(status, OpenAiError.of(e.getMessage(), typeOf(e), e.param(), e.code()),
                Optional.empty());
    }

    /**
     * The error that ends an event stream the upstream had already accepted: the same envelope the
     * failure would get as an HTTP answer, sent as the stream's last event, and noted in the request
     * line as an error although the status is 200.
     */
    public static OpenAiError streamError(GatewayException e) {
        ErrorAnswer answer = answerFor(e);
        record(answer.error(), outcomeOf(e, answer));
        return answer.error();
    }

    private static String outcomeOf(GatewayException e, ErrorAnswer answer) {
        return e instanceof UpstreamRejectedException rejected
                ? (rejected.upstreamStatus() == 429 ? "upstream_rate_limited" : "upstream_rejected")
                : codeOf(answer.error());
    }

    /** The answer to a failure that is none of ours: logged by class only, answered as a 500. */
    public static ErrorAnswer answerForUnexpected(Throwable e) {
        // An unexpected exception's message may quote anything, keys included.
        Log.errorf("Unexpected failure: %s", e.getClass().getName());
        return new ErrorAnswer(500, internalError(), Optional.empty());
    }

    /** A failure as the caller sees it. */
    public record ErrorAnswer(int status, OpenAiError error, Optional<String> retryAfter) {
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
                + ")", INVALID_REQUEST, null, null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            Log.errorf("Request failed: %s", e.getClass().getName());
            return internal();
        }
        return answer(status, OpenAiError.of("The request could not be served (HTTP " + status + ").",
                INVALID_REQUEST, null, null));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        return internal(answerForUnexpected(e).error());
    }

    private static Response internal() {
        return internal(internalError());
    }

    /** A failure of ours: whether the upstream was already called is unknown, so no caller retries. */
    private static Response internal(OpenAiError error) {
        record(error, codeOf(error));
        return Response.status(500).type(MediaType.APPLICATION_JSON_TYPE).entity(error)
                .header(SHOULD_RETRY, "false").build();
    }

    private static OpenAiError internalError() {
        return OpenAiError.of("The gateway failed to serve the request; retry, and report the"
                + " x-request-id if it persists.", "server_error", null, "internal_error");
    }

    private static int statusOf(GatewayException e) {
        if (e instanceof InvalidRequestException) {
            return 400;
        }
        if (e instanceof AuthenticationException) {
            return 401;
        }
        if (e instanceof ModelNotFoundException) {
            return 404;
        }
        if (e instanceof PayloadTooLargeException) {
            return 413;
        }
        if (e instanceof StorageUnavailableException) {
            return 503;
        }
        if (e instanceof UpstreamFailureException upstream) {
            return upstream.reason() == UpstreamFailureException.Reason.TIMEOUT ? 504 : 502;
        }
        return 500;
    }

    private static String typeOf(GatewayException e) {
        if (e instanceof InvalidRequestException invalid) {
            return invalid.type();
        }
        // The upstream's faults are ours to the caller, typed as OpenAI types its own; the code says which.
        if (e instanceof UpstreamFailureException || e instanceof StorageUnavailableException) {
            return "server_error";
        }
        return INVALID_REQUEST;
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
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }
}
