package dev.imagegateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.batch.engine.BatchObject;
import dev.imagegateway.batch.engine.BatchRequests;
import dev.imagegateway.error.InvalidRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/batches}: create, list, retrieve and cancel, in OpenAI's shapes. Creating answers at once;
 * the batch's lines run on the queue (see batch.engine).
 */
@Path("/v1/batches")
@Produces(MediaType.APPLICATION_JSON)
public class BatchesResource {

    static final int MAX_METADATA_PAIRS = 16;
    static final int MAX_METADATA_KEY = 64;
    static final int MAX_METADATA_VALUE = 512;

    private final GatewayKeys keys;
    private final BatchRequests batches;
    private final ObjectMapper mapper;

    public BatchesResource(GatewayKeys keys, BatchRequests batches, ObjectMapper mapper) {
        this.keys = keys;
        this.batches = batches;
        this.mapper = mapper;
    }

    /** OpenAI's list page. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record BatchPage(
            @JsonProperty("object") String object,
            @JsonProperty("data") List<BatchObject> data,
            @JsonProperty("first_id") String firstId,
            @JsonProperty("last_id") String lastId,
            @JsonProperty("has_more") boolean hasMore) {
    }

    @POST
    public BatchObject create(@HeaderParam("Authorization") String authorization,
            @HeaderParam("Content-Type") String contentType, byte[] body) {
        Caller caller = keys.authenticate(authorization);
        JsonContentType.require(contentType);
        JsonNode root = parse(body);
        return batches.create(caller.owner(), new BatchRequests.Create(requiredString(root, "input_file_id"),
                requiredString(root, "endpoint"), requiredString(root, "completion_window"), metadata(root)));
    }

    @GET
    public BatchPage list(@HeaderParam("Authorization") String authorization, @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        Caller caller = keys.authenticate(authorization);
        BatchRequests.BatchList page = batches.list(caller.owner(), after, limit(limit));
        List<BatchObject> data = page.batches();
        return new BatchPage("list", data, data.isEmpty() ? null : data.get(0).id(),
                data.isEmpty() ? null : data.get(data.size() - 1).id(), page.hasMore());
    }

    @GET
    @Path("/{id}")
    public BatchObject retrieve(@HeaderParam("Authorization") String authorization, @PathParam("id") String id) {
        return batches.retrieve(keys.authenticate(authorization).owner(), id);
    }

    @POST
    @Path("/{id}/cancel")
    public BatchObject cancel(@HeaderParam("Authorization") String authorization, @PathParam("id") String id) {
        return batches.cancel(keys.authenticate(authorization).owner(), id);
    }

    /** OpenAI's batch list: 20 by default, at most 100, refused with the same codes as every list route. */
    private static int limit(String limit) {
        return ListParameters.limit(limit, 20, 100);
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode root = body == null || body.length == 0 ? null : mapper.readTree(body);
            if (root != null && root.isObject()) {
                return root;
            }
        } catch (IOException e) {
            // answered below, without Jackson's message (it quotes the body)
        }
        throw new InvalidRequestException(null, null, "We could not parse the JSON body of your request. The body"
                + " must be a valid JSON object.");
    }

    private static String requiredString(JsonNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            throw new InvalidRequestException(name, "missing_required_parameter", "Missing required parameter: '"
                    + name + "'.");
        }
        if (!node.isTextual()) {
            throw new InvalidRequestException(name, "invalid_type", "Invalid type for '" + name + "': expected a"
                    + " string, but got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " instead.");
        }
        return node.textValue();
    }

    /** OpenAI's metadata: at most 16 string pairs, keys up to 64 characters, values up to 512. */
    private static Map<String, String> metadata(JsonNode root) {
        JsonNode node = root.get("metadata");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new InvalidRequestException("metadata", "invalid_type", "Invalid type for 'metadata': expected an"
                    + " object, but got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " instead.");
        }
        if (node.size() > MAX_METADATA_PAIRS) {
            throw new InvalidRequestException("metadata", "object_above_max_properties", "Invalid 'metadata': too many"
                    + " properties. Expected an object with at most " + MAX_METADATA_PAIRS + " properties, but got an"
                    + " object with " + node.size() + " properties instead.");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            if (key.length() > MAX_METADATA_KEY) {
                throw new InvalidRequestException("metadata", "string_above_max_length", "Invalid 'metadata': key '"
                        + key.substring(0, 16) + "…' is too long. Expected a key with maximum length " + MAX_METADATA_KEY
                        + ", but got a key with length " + key.length() + " instead.");
            }
            if (!field.getValue().isTextual()) {
                throw new InvalidRequestException("metadata." + key, "invalid_type", "Invalid type for 'metadata."
                        + key + "': expected a string.");
            }
            String value = field.getValue().textValue();
            if (value.length() > MAX_METADATA_VALUE) {
                throw new InvalidRequestException("metadata." + key, "string_above_max_length", "Invalid 'metadata."
                        + key + "': string too long. Expected a string with maximum length " + MAX_METADATA_VALUE
                        + ", but got a string with length " + value.length() + " instead.");
            }
            metadata.put(key, value);
        }
        return metadata;
    }
}
