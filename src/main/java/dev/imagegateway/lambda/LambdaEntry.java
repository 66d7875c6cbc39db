package dev.imagegateway.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegateway.batch.BatchSweep;
import dev.imagegateway.batch.SweepReport;
import dev.imagegateway.batch.engine.BatchWorker;
import dev.imagegateway.error.InvalidRequestException;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.Quarkus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * The function's handler ({@code dev.imagegateway.lambda.LambdaEntry::handleRequest}): HTTP events go
 * to Quarkus's stock HTTP handler exactly as with {@code QuarkusStreamHandler} once
 * {@link HttpEventGuard} has let them through (a whole generation's or edit's body is written by
 * {@link DirectAnswer}, past the bridge), EventBridge's scheduled event runs the batch sweep,
 * SQS events go to the Batch API's worker, anything else fails the invocation.
 *
 * <p>
 * It deliberately implements neither {@code RequestHandler} nor {@code RequestStreamHandler}: with
 * the Lambda HTTP extension a second handler class fails the build. The Lambda runtime finds the
 * method by its name and its {@code (InputStream, OutputStream, Context)} signature instead.
 */
public class LambdaEntry {

    public LambdaEntry() {
        // Lambda constructs the handler in its init phase, which SnapStart snapshots. The application is
        // started here, so that start-up (configuration, secrets, clients) is done in the init phase
        // instead of inside the first request. Quarkus's SnapStart support (quarkus.snapstart.full-warmup,
        // on with the Lambda extension) already starts it in manualInitialize(); manualStart() makes it
        // explicit and keeps it so should that be switched off. The priming exchange is not part of
        // start-up: it runs in the CRaC hook before a snapshot (startup/ColdStartPriming).
        Quarkus.manualInitialize();
        Quarkus.manualStart();
    }

    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Quarkus.manualStart();
        dispatch(input.readAllBytes(), output, context);
    }

    /** Everything the handler does once the application runs; tests call it with raw event bytes. */
    public static void dispatch(byte[] event, OutputStream output, Context context) throws IOException {
        JsonNode root = LambdaEvent.read(event);
        switch (LambdaEvent.of(root)) {
            case HTTP -> http((ObjectNode) root, event, output, context);
            case SCHEDULED -> sweep(output, context);
            case SQS -> work(root, output, context);
            default -> throw new IllegalArgumentException("Unrecognised event: this function serves API Gateway"
                    + " HTTP API events (payload format 2.0), EventBridge scheduled events and SQS events only.");
        }
    }

    private static void http(ObjectNode root, byte[] event, OutputStream output, Context context) throws IOException {
        Optional<InvalidRequestException> problem = HttpEventGuard.problem(root);
        if (problem.isPresent()) {
            output.write(RefusedHttpEvent.answer(problem.get()));
            return;
        }
        byte[] served = HttpEventGuard.dropFraming(root) ? LambdaEvent.JSON.writeValueAsBytes(root) : event;
        DirectAnswer.serve(served, output, new DirectAnswerContext(context));
    }

    /**
     * Batch work from SQS: the answer names the records that failed, and the event source mapping
     * (ReportBatchItemFailures) deletes the others.
     */
    private static void work(JsonNode root, OutputStream output, Context context) throws IOException {
        ObjectNode answer = Arc.container().instance(BatchWorker.class).get()
                .handle(root, context::getRemainingTimeInMillis);
        output.write(LambdaEvent.JSON.writeValueAsBytes(answer));
    }

    private static void sweep(OutputStream output, Context context) throws IOException {
        // A failing sweep throws: Lambda records an error (and retries the asynchronous event), never a success.
        SweepReport report = Arc.container().instance(BatchSweep.class).get()
                .run(context::getRemainingTimeInMillis);
        output.write(Arc.container().instance(ObjectMapper.class).get().writeValueAsBytes(report));
    }
}
