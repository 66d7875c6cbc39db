package dev.imagegateway.benchmark;

import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The packaged function's environment for the benchmarks: S3Proxy, the instant upstream, the test caller's key. */
final class FunctionEnvironment {

    /** SHA-256 of {@link Gateway#CALLER_KEY}. */
    private static final String CALLER_KEY_HASH = "1baf66dd75a1739b6c7b60bd7252f2f2ce2f56640b808c247d2304f77fb2ad98";

    private FunctionEnvironment() {
    }

    static Map<String, String> of(URI s3Endpoint, InstantUpstream upstream) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3TestServer.SECRET_KEY);
        env.put("IMAGES_UPSTREAM_BASE_URL", upstream.baseUrl());
        env.put("IMAGES_UPSTREAM_API_KEY", upstream.apiKey());
        env.put("IMAGES_UPSTREAM_TIMEOUT", "60s");
        env.put("IMAGES_BUCKET", S3TestServer.BUCKET);
        env.put("IMAGES_S3_ENDPOINT", s3Endpoint.toString());
        env.put("IMAGES_S3_PATH_STYLE", "true");
        env.put("IMAGES_AUTH_KEY_HASHES", CALLER_KEY_HASH);
        return env;
    }

    /** An API Gateway HTTP API event (payload 2.0) asking for {@code body}. */
    static byte[] httpEvent(String body) {
        return httpEvent("POST", Gateway.PATH, body);
    }

    /** As {@link #httpEvent(String)}, for any method and path; a null body is an event without one. */
    static byte[] httpEvent(String method, String path, String body) {
        String escaped = body == null ? "" : body.replace("\\", "\\\\").replace("\"", "\\\"");
        return ("{\"version\":\"2.0\",\"routeKey\":\"" + method + " " + path + "\",\"rawPath\":\"" + path
                + "\",\"rawQueryString\":\"\",\"headers\":{\"content-type\":\"application/json\","
                + "\"host\":\"abc123.execute-api.us-east-1.amazonaws.com\",\"authorization\":\"Bearer "
                + Gateway.CALLER_KEY + "\"},\"requestContext\":{\"accountId\":\"123456789012\",\"apiId\":\"abc123\","
                + "\"domainName\":\"abc123.execute-api.us-east-1.amazonaws.com\",\"http\":{\"method\":\"" + method + "\","
                + "\"path\":\"" + path + "\",\"protocol\":\"HTTP/1.1\",\"sourceIp\":\"203.0.113.10\","
                + "\"userAgent\":\"benchmark\"},\"requestId\":\"benchmark\",\"routeKey\":\"" + method + " " + path
                + "\",\"stage\":\"$default\",\"timeEpoch\":" + System.currentTimeMillis() + "},\"body\":\"" + escaped
                + "\",\"isBase64Encoded\":false}").getBytes(StandardCharsets.UTF_8);
    }
}
