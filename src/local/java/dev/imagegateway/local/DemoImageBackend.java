package dev.imagegateway.local;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.imagegateway.error.OpenAiError;
import dev.imagegateway.image.Base64Bytes;
import dev.imagegateway.upstream.UpstreamImageRequest;
import dev.imagegateway.upstream.UpstreamImagesResponse;
import dev.imagegateway.wire.MultipartBody;
import dev.imagegateway.wire.Usage;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * A stand-in for the OpenAI Images API, for local mode without an upstream: {@code POST
 * /v1/images/generations} and {@code POST /v1/images/edits} (multipart or JSON) on 127.0.0.1 answers like the real API (base64
 * images, {@code revised_prompt}
 * for {@code dall-e-3}, {@code usage} and the output metadata for GPT image models), with pictures drawn
 * by {@link DemoImageRenderer}. It makes no network call and checks no key.
 *
 * <p>
 * It listens on its own port because the dev-mode Lambda mock event server hands the gateway one
 * request at a time: a backend behind that same port would wait for the request that is calling it.
 */
@ApplicationScoped
public class DemoImageBackend {

    static final String PATH = "/v1/images/generations";
    static final String EDITS_PATH = "/v1/images/edits";
    private static final Pattern SIZE = Pattern.compile("(\\d{1,5})x(\\d{1,5})");
    private static final int MAX_EDGE = 3840;
    private static final long MAX_PIXELS = 3840L * 2160L;
    /** Output tokens of a 1024x1024 picture per quality, as OpenAI bills {@code gpt-image-1}. */
    private static final int LOW_TOKENS = 272;
    private static final int MEDIUM_TOKENS = 1056;
    private static final int HIGH_TOKENS = 4160;

    private final LocalModeConfig config;
    private final ObjectMapper json;
    private final DemoImageRenderer renderer = new DemoImageRenderer();
    private HttpServer server;
    private ExecutorService workers;

    public DemoImageBackend(LocalModeConfig config, ObjectMapper mapper) {
        this.config = config;
        // Like the real API, leave out what does not apply instead of sending nulls.
        this.json = mapper.copy().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
    }

    void start(@Observes @Priority(10) StartupEvent event) throws IOException {
        if (!config.demo().enabled()) {
            return;
        }
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), config.demo().port());
        try {
            server = HttpServer.create(address, 0);
        } catch (BindException e) {
            throw new IllegalStateException("The demo image backend cannot listen on 127.0.0.1:" + config.demo().port()
                    + " (port taken?). Choose another port with LOCAL_DEMO_PORT.", e);
        }
        workers = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "demo-image-backend");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(workers);
        server.createContext(PATH, this::handle);
        server.createContext(EDITS_PATH, this::handleEdit);
        server.start();
        Log.infof("DEMO image backend on http://127.0.0.1:%d%s: draws placeholder pictures, makes no network call",
                config.demo().port(), PATH);
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.stop(0);
            workers.shutdownNow();
            server = null;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, error("Only POST is supported here.", null, "method_not_allowed"));
                return;
            }
            UpstreamImageRequest request;
            try (InputStream body = exchange.getRequestBody()) {
                request = json.readValue(body, UpstreamImageRequest.class);
            } catch (JsonProcessingException e) {
                reply(exchange, 400, error("The demo backend could not read the request as JSON.", null, "invalid_json"));
                return;
            }
            try {
                reply(exchange, 200, generate(request, null));
            } catch (Rejection rejection) {
                reply(exchange, 400, error(rejection.getMessage(), rejection.param, "invalid_value"));
            } catch (RuntimeException | Error e) {
                // Typically a JDK without fonts (a slim container): say so instead of a bare 500.
                Log.error("The demo backend failed to draw an image", e);
                reply(exchange, 500, new OpenAiError(new OpenAiError.Detail("The demo backend failed to draw the image ("
                        + e + "). Java2D needs a font: install fontconfig and a font package such as fonts-dejavu.",
                        "server_error", null, null)));
            }
        }
    }

    /**
     * An edit, multipart or JSON as the gateway forwards it: the fields as for a generation, and the
     * first input image drawn as a thumbnail. An {@code image_url} that is not a {@code data:} URL is not
     * fetched (the demo makes no network call); the picture says so instead.
     */
    private void handleEdit(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, error("Only POST is supported here.", null, "method_not_allowed"));
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            UpstreamImageRequest request;
            DemoImageRenderer.Input input;
            try {
                if (MultipartBody.isFormData(contentType)) {
                    Map<String, String> fields = new LinkedHashMap<>();
                    byte[] first = null;
                    for (MultipartBody.Part part : MultipartBody.parse(body, MultipartBody.boundary(contentType))) {
                        if (part.name().startsWith("image") && first == null) {
                            first = Arrays.copyOfRange(part.body(), part.offset(), part.offset() + part.length());
                        } else if (!part.name().startsWith("image") && !part.name().equals("mask")) {
                            fields.put(part.name(), part.text());
                        }
                    }
                    request = json.convertValue(fields, UpstreamImageRequest.class);
                    input = thumbnail(first);
                } else {
                    JsonNode root = json.readTree(body);
                    request = json.treeToValue(root, UpstreamImageRequest.class);
                    String url = root.path("images").path(0).path("image_url").asText("");
                    input = url.startsWith("data:") && url.contains(",")
                            ? thumbnail(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1)))
                            : new DemoImageRenderer.Input(null, "image_url " + url + " (the demo fetches nothing)");
                }
            } catch (RuntimeException | IOException e) {
                reply(exchange, 400, error("The demo backend could not read the edit.", null, "invalid_request"));
                return;
            }
            try {
                reply(exchange, 200, generate(request, input));
            } catch (Rejection rejection) {
                reply(exchange, 400, error(rejection.getMessage(), rejection.param, "invalid_value"));
            }
        }
    }

    /** The input decoded for the thumbnail; WebP (which the JDK cannot read) shows as a note. */
    private static DemoImageRenderer.Input thumbnail(byte[] image) throws IOException {
        BufferedImage decoded = image == null ? null : ImageIO.read(new ByteArrayInputStream(image));
        return new DemoImageRenderer.Input(decoded, decoded == null ? "an input the JDK cannot draw (WebP?)" : null);
    }

    private UpstreamImagesResponse generate(UpstreamImageRequest request, DemoImageRenderer.Input input) {
        if (request == null || request.prompt() == null || request.prompt().isBlank()) {
            throw new Rejection("prompt", "The demo backend needs a prompt to draw.");
        }
        String modelName = request.model() != null ? request.model() : "a model";
        // The gateway asks DALL·E-style models for base64 explicitly and GPT image models for nothing:
        // that is all the demo needs to know to answer in the right shape, whatever the model is called.
        boolean gptImage = request.responseFormat() == null;
        int n = request.n() != null ? request.n() : 1;
        if (n < 1 || n > 10) {
            throw new Rejection("n", "The demo backend draws 1 to 10 images, not " + n + ".");
        }
        int[] size = size(request.size());
        String format = gptImage && request.outputFormat() != null ? request.outputFormat() : "png";
        if ("webp".equals(format)) {
            throw new Rejection("output_format", "The local demo backend cannot write WebP: the JDK has no WebP"
                    + " encoder and no well-kept Java library writes it. Ask for output_format 'png' or 'jpeg',"
                    + " or configure a real upstream (IMAGES_UPSTREAM_BASE_URL).");
        }
        if (!"png".equals(format) && !"jpeg".equals(format)) {
            throw new Rejection("output_format", "The demo backend writes 'png' or 'jpeg', not '" + format + "'.");
        }
        if ("url".equals(request.responseFormat())) {
            throw new Rejection("response_format", "The demo backend answers with b64_json only.");
        }
        boolean transparent = "transparent".equals(request.background());
        int jpegQuality = request.outputCompression() != null ? request.outputCompression() : 100;

        List<UpstreamImagesResponse.Image> images = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] picture = renderer.render(new DemoImageRenderer.Picture(request.prompt(), modelName, size[0], size[1],
                    i, n, format, jpegQuality, transparent, input));
            String revised = !gptImage
                    ? request.prompt() + " (a demo placeholder picture drawn by the local demo backend)"
                    : null;
            images.add(new UpstreamImagesResponse.Image(Base64Bytes.of(Base64.getEncoder().encodeToString(picture)), revised));
        }
        long created = Instant.now().getEpochSecond();
        if (!gptImage) {
            return new UpstreamImagesResponse(created, images, null, null, null, null, null);
        }
        String quality = request.quality() == null || "auto".equals(request.quality()) ? "high" : request.quality();
        return new UpstreamImagesResponse(created, images, transparent ? "transparent" : "opaque", format,
                size[0] + "x" + size[1], quality, usage(request.prompt(), quality, size, n));
    }

    /** {@code WIDTHxHEIGHT}; {@code auto} (or nothing) is 1024x1024. Bounded so no request can exhaust memory. */
    private static int[] size(String size) {
        if (size == null || "auto".equals(size)) {
            return new int[] { 1024, 1024 };
        }
        Matcher matcher = SIZE.matcher(size);
        if (!matcher.matches()) {
            throw new Rejection("size", "The demo backend reads sizes as WIDTHxHEIGHT or 'auto', not '" + size + "'.");
        }
        int width = Integer.parseInt(matcher.group(1));
        int height = Integer.parseInt(matcher.group(2));
        if (width < 16 || height < 16 || width > MAX_EDGE || height > MAX_EDGE || (long) width * height > MAX_PIXELS) {
            throw new Rejection("size", "The demo backend draws from 16x16 up to 3840x2160 pixels, not " + size + ".");
        }
        return new int[] { width, height };
    }

    /** Made-up but plausible token counts: about four characters a text token, output by area and quality. */
    private static Usage usage(String prompt, String quality, int[] size, int n) {
        long input = Math.max(1, (prompt.length() + 3) / 4);
        int perMegapixel = switch (quality) {
            case "low" -> LOW_TOKENS;
            case "medium" -> MEDIUM_TOKENS;
            default -> HIGH_TOKENS;
        };
        long output = Math.round(perMegapixel * (double) size[0] * size[1] / (1024 * 1024)) * n;
        return new Usage(input, output, input + output, new Usage.InputDetails(input, 0L),
                new Usage.OutputDetails(output, 0L));
    }

    private static OpenAiError error(String message, String param, String code) {
        return new OpenAiError(new OpenAiError.Detail(message, "invalid_request_error", param, code));
    }

    private void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** A request the demo backend cannot serve: a 400 in the OpenAI envelope naming the field. */
    private static final class Rejection extends RuntimeException {
        private final String param;

        Rejection(String param, String message) {
            super(message, null, false, false);
            this.param = param;
        }
    }
}
