package dev.imagegateway.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * Secrets Manager's {@code GetSecretValue} (JSON 1.1 protocol) on a WireMock server; the AWS SDK reaches
 * it through {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} or {@code aws.endpointUrlSecretsManager}.
 */
public final class SecretsManagerStubs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SecretsManagerStubs() {
    }

    /** {@code GetSecretValue} for {@code secretId} answers {@code value} as its SecretString. */
    public static void secret(WireMockServer server, String secretId, String value) {
        String body = JSON.createObjectNode()
                .put("ARN", secretId)
                .put("Name", secretId.substring(secretId.lastIndexOf(':') + 1))
                .put("SecretString", value)
                .put("VersionId", "EXAMPLE1-90ab-cdef-fedc-ba987SECRET1")
                .toString();
        server.stubFor(post(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withRequestBody(containing(secretId))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(body)));
    }
}
