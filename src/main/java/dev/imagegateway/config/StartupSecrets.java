package dev.imagegateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The secrets the function needs, resolved once at start-up: given directly (local runs, tests) or read
 * from Secrets Manager (AWS). Reading them in the init phase means a missing or unreadable secret stops
 * the function before it takes a request, and with SnapStart the snapshot already holds them; a rotated
 * secret therefore needs a new published version. Secrets Manager is reached through the SDK's standard
 * endpoint settings ({@code AWS_ENDPOINT_URL_SECRETS_MANAGER} for tests).
 */
@ApplicationScoped
@Startup
public class StartupSecrets {

    /** Long-term keys that sign pre-signed URLs. */
    public record SigningKeys(String accessKeyId, String secretAccessKey) {
        @Override
        public String toString() {
            return "SigningKeys[accessKeyId=" + accessKeyId + ", secretAccessKey=<hidden>]";
        }
    }

    /** The name that stands for the default upstream, {@code images.upstream.*}. */
    public static final String DEFAULT_UPSTREAM = "default";

    private final Map<String, Optional<String>> upstreamApiKeys = new HashMap<>();
    private final Optional<SigningKeys> signingKeys;

    public StartupSecrets(GatewayConfig config, ObjectMapper mapper) {
        GatewayConfig.Upstream upstream = config.upstream();
        GatewayConfig.Signing signing = config.signing();
        // Every upstream's key, as given or as the name of a secret: the default one and each named one.
        Map<String, KeySource> keys = new LinkedHashMap<>();
        keys.put(DEFAULT_UPSTREAM, new KeySource("images.upstream", upstream.apiKey(), upstream.apiKeySecret()));
        config.upstreams().forEach((name, named) -> {
            if (name.equals(DEFAULT_UPSTREAM)) {
                throw new IllegalStateException("images.upstreams.default: the name 'default' stands for"
                        + " images.upstream; give this upstream another name.");
            }
            keys.put(name, new KeySource("images.upstreams." + name, named.apiKey(), named.apiKeySecret()));
        });
        keys.values().forEach(source -> requireAtMostOne(source.key().isPresent(), source.secret().isPresent(),
                source.prefix() + ".api-key and " + source.prefix() + ".api-key-secret"));
        boolean signingKeysGiven = signing.accessKeyId().isPresent() || signing.secretAccessKey().isPresent();
        requireAtMostOne(signingKeysGiven, signing.secret().isPresent(),
                "images.signing.access-key-id/secret-access-key and images.signing.secret");
        boolean anySecret = keys.values().stream().anyMatch(source -> source.secret().isPresent());
        if (!anySecret && signing.secret().isEmpty()) {
            keys.forEach((name, source) -> upstreamApiKeys.put(name, source.key()));
            this.signingKeys = givenSigningKeys(signing);
            return;
        }
        try (SecretsManagerClient client = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().build())
                .region(new DefaultAwsRegionProviderChain().getRegion())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .build()) {
            keys.forEach((name, source) -> upstreamApiKeys.put(name, source.secret().isPresent()
                    ? Optional.of(upstreamKey(read(client, source.secret().get(), source.prefix() + ".api-key-secret"),
                            source.prefix()))
                    : source.key()));
            this.signingKeys = signing.secret().isPresent()
                    ? Optional.of(signingKeys(read(client, signing.secret().get(), "images.signing.secret"), mapper))
                    : givenSigningKeys(signing);
        }
    }

    /** Where one upstream's key comes from: {@code <prefix>.api-key} or {@code <prefix>.api-key-secret}. */
    private record KeySource(String prefix, Optional<String> key, Optional<String> secret) {
    }

    /** The default backend's key, if one is configured. */
    public Optional<String> upstreamApiKey() {
        return upstreamApiKey(DEFAULT_UPSTREAM);
    }

    /** The key of the upstream of that name ({@link #DEFAULT_UPSTREAM} or an {@code images.upstreams} name). */
    public Optional<String> upstreamApiKey(String upstream) {
        return upstreamApiKeys.getOrDefault(upstream, Optional.empty());
    }

    /** The URL-signing keys, if configured; without them the SDK's credential chain signs. */
    public Optional<SigningKeys> signingKeys() {
        return signingKeys;
    }

    private static void requireAtMostOne(boolean first, boolean second, String names) {
        if (first && second) {
            throw new IllegalStateException("Set only one of " + names + ".");
        }
    }

    private static Optional<SigningKeys> givenSigningKeys(GatewayConfig.Signing signing) {
        if (signing.accessKeyId().isPresent() != signing.secretAccessKey().isPresent()) {
            throw new IllegalStateException(
                    "images.signing.access-key-id and images.signing.secret-access-key must be set together.");
        }
        return signing.accessKeyId().map(id -> new SigningKeys(id, signing.secretAccessKey().get()));
    }

    private static String read(SecretsManagerClient client, String secretId, String property) {
        try {
            String value = client.getSecretValue(request -> request.secretId(secretId)).secretString();
            if (value == null || value.isBlank()) {
                throw new IllegalStateException(property + ": the secret " + secretId + " has no text value.");
            }
            Log.infof("Read the secret named by %s", property);
            return value.strip();
        } catch (SdkException e) {
            // The SDK's message names the secret and the reason (not found, access denied), never its value.
            throw new IllegalStateException(property + ": the secret " + secretId + " could not be read ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ").", e);
        }
    }

    private static String upstreamKey(String value, String prefix) {
        if (value.startsWith("{")) {
            // A key/value secret from the console would otherwise be sent as "Bearer {...}" and fail late.
            throw new IllegalStateException(prefix + ".api-key-secret: the secret must hold the key as plain"
                    + " text, not JSON.");
        }
        return value;
    }

    private static SigningKeys signingKeys(String value, ObjectMapper mapper) {
        String problem = "images.signing.secret: the secret must be JSON"
                + " {\"access_key_id\": \"...\", \"secret_access_key\": \"...\"}.";
        JsonNode json;
        try {
            json = mapper.readTree(value);
        } catch (IOException e) {
            throw new IllegalStateException(problem); // the parser's message would quote the secret
        }
        JsonNode id = json == null ? null : json.get("access_key_id");
        JsonNode secret = json == null ? null : json.get("secret_access_key");
        if (id == null || !id.isTextual() || id.textValue().isBlank() || secret == null || !secret.isTextual()
                || secret.textValue().isBlank()) {
            throw new IllegalStateException(problem);
        }
        return new SigningKeys(id.textValue(), secret.textValue());
    }
}
