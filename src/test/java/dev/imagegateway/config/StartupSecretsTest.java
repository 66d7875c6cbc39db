package dev.imagegateway.config;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.testsupport.SecretsManagerStubs;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Secrets read at start-up from a Secrets Manager endpoint on 127.0.0.1, through the real AWS SDK client. */
class StartupSecretsTest {

    private static final String UPSTREAM_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:upstream-AbCdEf";
    private static final String SIGNING_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:signing-AbCdEf";
    private static final String ENDPOINT_PROPERTY = "aws.endpointUrlSecretsManager";

    private static WireMockServer secretsManager;

    @BeforeAll
    static void start() {
        secretsManager = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        secretsManager.start();
        System.setProperty(ENDPOINT_PROPERTY, secretsManager.baseUrl());
    }

    @AfterAll
    static void stop() {
        System.clearProperty(ENDPOINT_PROPERTY);
        secretsManager.stop();
    }

    @BeforeEach
    void reset() {
        secretsManager.resetAll();
    }

    @Test
    void upstreamKeyFromASecret_isReadOnceAtStartUp() {
        SecretsManagerStubs.secret(secretsManager, UPSTREAM_SECRET, "sk-upstream-from-secret\n");

        StartupSecrets secrets = new StartupSecrets(config(Map.of("images.upstream.api-key-secret", UPSTREAM_SECRET)),
                new ObjectMapper());

        assertThat(secrets.upstreamApiKey()).hasValue("sk-upstream-from-secret");
        assertThat(secrets.signingKeys()).isEmpty();
        secretsManager.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue")));
    }

    @Test
    void namedUpstreamsKeys_comeFromTheirOwnSecretOrAsGiven_andTheNameDefaultIsRefused() {
        String acmeSecret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:acme-AbCdEf";
        SecretsManagerStubs.secret(secretsManager, acmeSecret, "sk-acme-from-secret");

        StartupSecrets secrets = new StartupSecrets(config(Map.of(
                "images.upstream.api-key", "sk-default-direct",
                "images.upstreams.acme.base-url", "https://acme.example",
                "images.upstreams.acme.api-key-secret", acmeSecret,
                "images.upstreams.backup.base-url", "https://backup.example",
                "images.upstreams.backup.api-key", "sk-backup-direct")), new ObjectMapper());

        assertThat(secrets.upstreamApiKey()).hasValue("sk-default-direct");
        assertThat(secrets.upstreamApiKey("acme")).hasValue("sk-acme-from-secret");
        assertThat(secrets.upstreamApiKey("backup")).hasValue("sk-backup-direct");
        assertThatThrownBy(() -> new StartupSecrets(config(Map.of(
                "images.upstreams.default.base-url", "https://other.example")), new ObjectMapper()))
                .hasMessageContaining("images.upstreams.default");
    }

    @Test
    void signingKeysFromASecret_areReadFromItsJson() {
        SecretsManagerStubs.secret(secretsManager, SIGNING_SECRET,
                "{\"access_key_id\":\"AKIASIGNING\",\"secret_access_key\":\"signing-secret\"}");

        StartupSecrets secrets = new StartupSecrets(config(Map.of("images.signing.secret", SIGNING_SECRET)),
                new ObjectMapper());

        assertThat(secrets.signingKeys()).hasValue(new StartupSecrets.SigningKeys("AKIASIGNING", "signing-secret"));
        assertThat(secrets.signingKeys().get().toString()).doesNotContain("signing-secret");
    }

    @Test
    void keysGivenDirectly_needNoSecretsManager() {
        StartupSecrets secrets = new StartupSecrets(config(Map.of("images.upstream.api-key", "sk-direct",
                "images.signing.access-key-id", "AKIADIRECT", "images.signing.secret-access-key", "direct")),
                new ObjectMapper());

        assertThat(secrets.upstreamApiKey()).hasValue("sk-direct");
        assertThat(secrets.signingKeys()).hasValue(new StartupSecrets.SigningKeys("AKIADIRECT", "direct"));
        assertThat(secretsManager.getAllServeEvents()).isEmpty();
    }

    @Test
    void keyAndSecretBoth_failNamingBothProperties() {
        assertThatThrownBy(() -> new StartupSecrets(config(Map.of("images.upstream.api-key", "sk-direct",
                "images.upstream.api-key-secret", UPSTREAM_SECRET)), new ObjectMapper()))
                .hasMessageContaining("images.upstream.api-key and images.upstream.api-key-secret");
    }

    @Test
    void upstreamSecretHoldingJson_failsAtStartUp_withoutQuotingIt() {
        SecretsManagerStubs.secret(secretsManager, UPSTREAM_SECRET, "{\"key\":\"sk-hidden-value\"}");

        assertThatThrownBy(() -> new StartupSecrets(config(Map.of("images.upstream.api-key-secret", UPSTREAM_SECRET)),
                new ObjectMapper()))
                .hasMessageContaining("plain text").message().doesNotContain("sk-hidden-value");
    }

    @Test
    void malformedSigningSecret_failsAtStartUp_withoutQuotingIt() {
        SecretsManagerStubs.secret(secretsManager, SIGNING_SECRET, "{\"access_key_id\":\"AKIA\",\"oops\":\"hidden\"");

        assertThatThrownBy(() -> new StartupSecrets(config(Map.of("images.signing.secret", SIGNING_SECRET)),
                new ObjectMapper()))
                .hasMessageContaining("images.signing.secret").message().doesNotContain("hidden");
    }

    @Test
    void missingSecret_failsAtStartUpNamingThePropertyAndTheSecret() {
        secretsManager.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"ResourceNotFoundException\",\"Message\":\"Secrets Manager can't find the"
                        + " specified secret.\"}")));

        assertThatThrownBy(() -> new StartupSecrets(config(Map.of("images.upstream.api-key-secret", UPSTREAM_SECRET)),
                new ObjectMapper()))
                .hasMessageContaining("images.upstream.api-key-secret").hasMessageContaining(UPSTREAM_SECRET)
                .hasMessageContaining("can't find");
    }

    private static GatewayConfig config(Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "images.upstream.base-url", "https://upstream.example",
                "images.bucket", "my-images",
                "images.auth.key-hashes", "1baf66dd75a1739b6c7b60bd7252f2f2ce2f56640b808c247d2304f77fb2ad98"));
        properties.putAll(extra);
        return GatewayConfigTest.load(properties);
    }
}
