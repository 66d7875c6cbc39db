package dev.imagegateway.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.ErrorAnswer;
import dev.imagegateway.error.GatewayException;
import dev.imagegateway.error.PayloadTooLargeException;
import dev.imagegateway.generation.EditRules;
import dev.imagegateway.generation.GeneratedImages;
import dev.imagegateway.generation.GenerationPlan;
import dev.imagegateway.generation.ImageGeneration;
import dev.imagegateway.generation.RequestDeadlines;
import dev.imagegateway.generation.RequestRules;
import dev.imagegateway.wire.EditRequestReader;
import dev.imagegateway.wire.RequestReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Runs one batch line's body through exactly what {@code POST /v1/images/generations} runs: the size
 * limit, the reader, the rules, the deadline and the generation: the Batch API's worker runs each line
 * through it, the scheduled sweep's jobs included. Failures are thrown as the {@link GatewayException} the route would answer,
 * so
 * that the worker can tell a retry-safe failure from one that may have been billed.
 */
@ApplicationScoped
public class LineRunner {

    private final RequestReader reader;
    private final RequestRules rules;
    private final ImageGeneration generation;
    private final RequestDeadlines deadlines;
    private final ObjectMapper mapper;
    private final int maxRequestBytes;
    private final EditRequestReader editReader;
    private final EditRules editRules;
    private final int maxEditRequestBytes;

    public LineRunner(RequestReader reader, RequestRules rules, ImageGeneration generation,
            RequestDeadlines deadlines, ObjectMapper mapper, GatewayConfig config, EditRequestReader editReader,
            EditRules editRules) {
        this.reader = reader;
        this.rules = rules;
        this.editReader = editReader;
        this.editRules = editRules;
        this.maxEditRequestBytes = config.limits().maxEditRequestBytes();
        this.generation = generation;
        this.deadlines = deadlines;
        this.mapper = mapper;
        this.maxRequestBytes = config.limits().maxRequestBytes();
    }

    /**
     * The route's answer body to {@code body}, each stored image naming its bucket {@code key} (links
     * expire, the key does not).
     *
     * @param invocationLeft what is left of the invocation; null where there is no deadline to respect
     * @throws GatewayException the route's failure, with its status, envelope and retry-safety
     */
    public JsonNode run(JsonNode body, String requestId, Duration invocationLeft) {
        byte[] bytes = bytes(body);
        if (bytes.length > maxRequestBytes) {
            throw PayloadTooLargeException.request(maxRequestBytes);
        }
        return generate(rules.plan(reader.read(bytes)), requestId, invocationLeft);
    }

    /**
     * The same for a line of an edits batch: exactly what {@code POST /v1/images/edits} runs for a JSON
     * body (images by {@code image_url} or {@code file_id}; a {@code file_id} is looked up among
     * {@code owner}'s files, as for the caller of the route).
     */
    public JsonNode runEdit(JsonNode body, String owner, String requestId, Duration invocationLeft) {
        byte[] bytes = bytes(body);
        if (bytes.length > maxEditRequestBytes) {
            throw PayloadTooLargeException.editRequest(bytes.length, maxEditRequestBytes);
        }
        return generate(editRules.plan(editReader.readJson(bytes), owner), requestId, invocationLeft);
    }

    private JsonNode generate(GenerationPlan plan, String requestId, Duration invocationLeft) {
        GeneratedImages generated = generation.generateIntoFile(plan, requestId, deadlines.of(plan, invocationLeft));
        return responseBody(generated);
    }

    private byte[] bytes(JsonNode body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The error envelope a failure gets, as the route would answer it. */
    public JsonNode errorBody(ErrorAnswer answer) {
        return mapper.valueToTree(answer.error());
    }

    private JsonNode responseBody(GeneratedImages generated) {
        ObjectNode body = mapper.valueToTree(generated.response());
        for (int i = 0; i < generated.items().size(); i++) {
            String key = generated.items().get(i).key();
            if (key != null) {
                ((ObjectNode) body.get("data").get(i)).put("key", key);
            }
        }
        return body;
    }
}
