package dev.imagegateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything an operator can set, under {@code images.*}. Each property can also be given as its
 * environment variable ({@code images.upstream.base-url} is {@code IMAGES_UPSTREAM_BASE_URL}); the
 * names are listed in docs/operations.md; operators, scripts and template.yaml rely on them.
 */
@ConfigMapping(prefix = "images")
public interface GatewayConfig {

    /** The OpenAI-compatible image backend: the default upstream, for every model whose entry names none. */
    Upstream upstream();

    /**
     * Further upstreams, by name ({@code images.upstreams.<name>.base-url}, …), that catalog entries
     * name as their {@code upstream} or {@code fallbacks}. The name {@code default} stands for
     * {@link #upstream()} and cannot be used here. None by default.
     */
    Map<String, NamedUpstream> upstreams();

    /** One further upstream; retries follow {@code images.upstream.max-attempts} and its backoff. */
    interface NamedUpstream {
        /** Base URL; the gateway calls {@code {base-url}/v1/images/generations}. Required. */
        URI baseUrl();

        /** The upstream's own key, for local runs and tests. No default. */
        Optional<String> apiKey();

        /**
         * ARN or name of a Secrets Manager secret whose value is this upstream's key as plain text, read
         * once at start-up (how the key reaches the function in AWS). No default; at most one of this
         * and {@link #apiKey()}.
         */
        Optional<String> apiKeySecret();

        /** How long one call to this upstream may take. Default: {@code images.upstream.timeout}. */
        Optional<Duration> timeout();
    }

    /** The S3 bucket that receives generated images. Required. */
    String bucket();

    /**
     * How long a pre-signed URL stays valid after the image was generated. Default {@code 60m}, the
     * product's promise; only tests shorten it.
     */
    @WithDefault("60m")
    Duration urlTtl();

    /** Where and how S3 is reached. */
    S3 s3();

    /** Which callers are let in. */
    Auth auth();

    /** Credentials used only to sign the pre-signed URLs. */
    Signing signing();

    /** Size limits of the HTTP edge. */
    Limits limits();

    /** What the request log line may contain. */
    Log log();

    /** CloudWatch metrics. */
    Metrics metrics();

    /** The scheduled batch sweep. */
    Batch batch();

    /** The Batch API ({@code /v1/batches}) and the queue that runs its lines. */
    Batches batches();

    /** The Files and Uploads APIs ({@code /v1/files}, {@code /v1/uploads}). */
    Files files();

    /** Warming the request path up before a SnapStart snapshot. */
    Priming priming();

    /** The model catalog and the models it does not list. */
    Models models();

    /** Which models the gateway knows and how it treats the others. */
    interface Models {
        /**
         * The model used when a request names none. No default: unset, the seed's rule applies
         * ({@code dall-e-2}, or {@code gpt-image-1} when the request carries a field only GPT image models
         * take), which OpenAI no longer serves; set it to a live model when calling OpenAI directly.
         */
        @WithName("default")
        Optional<String> defaultModel();

        /**
         * An operator catalog merged over the built-in one at start-up, entry by entry: a file path, or
         * {@code s3://bucket/key} read with the gateway's S3 client. A malformed catalog fails start-up with
         * a sentence naming the entry and field. No default: the built-in catalog alone.
         */
        Optional<String> catalog();

        /**
         * What happens to a model not in the catalog: {@code pass-through} checks it with the catalog's
         * generic rules (types, {@code n}, prompt length) and lets the upstream decide the rest;
         * {@code refuse} answers 400 as OpenAI does for a model it does not have. Default
         * {@code pass-through}, so that a model released tomorrow works the day it appears.
         */
        @WithDefault("pass-through")
        UnknownModelPolicy unknown();
    }

    /** Cold-start priming. */
    interface Priming {
        /**
         * Whether the request path runs on built-in samples (JSON mappers, validation, the
         * streaming reader, URL signing, the REST client) just before Lambda takes a SnapStart snapshot,
         * so that a restored function finds it loaded and initialised. It runs in the CRaC
         * {@code beforeCheckpoint} hook, never in an on-demand initialisation, a test or dev mode. No
         * network call is made. Default {@code true}.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * How many times priming runs the request path. A snapshot keeps the JIT's compiled code as well
         * as the loaded classes, and the JIT compiles a method only after it has run a few hundred times:
         * one round leaves the restored first request interpreted. Default {@code 100}: measured against 25
         * and 200 in the cold-start benchmark, where the restored first invocation stopped improving much
         * and the snapshot's own initialisation grew by about a second. At least 1.
         */
        @WithDefault("100")
        int rounds();
    }

    /** The request log line. */
    interface Log {
        /** Whether the request line includes the prompt. Prompts can be personal data. Default {@code false}. */
        @WithDefault("false")
        boolean prompts();
    }

    /** CloudWatch Embedded Metric Format output. */
    interface Metrics {
        /** Whether each request writes an EMF line to standard output. Default {@code true}. */
        @WithDefault("true")
        boolean enabled();
    }

    /** The image backend. */
    interface Upstream {
        /** Base URL of the backend; the gateway calls {@code {base-url}/v1/images/generations}. Required. */
        URI baseUrl();

        /**
         * The backend's own API key, sent as a bearer token, for local runs and tests. No default;
         * without it (and without {@link #apiKeySecret()}) no key is sent.
         */
        Optional<String> apiKey();

        /**
         * ARN or name of a Secrets Manager secret whose value is the backend's key as plain text; read
         * once at start-up. How the key reaches the function in AWS, so that it is never written in a
         * template or an environment variable. No default; set at most one of this and {@link #apiKey()}.
         */
        Optional<String> apiKeySecret();

        /** How long one upstream call may take, connection and answer included. Default {@code 120s}. */
        @WithDefault("120s")
        Duration timeout();

        /**
         * How many times one request may be sent upstream, the first included. Only failures that cannot
         * have been billed are retried (see {@code UpstreamRetry}). Default 3.
         */
        @WithDefault("3")
        int maxAttempts();

        /** The first retry's backoff; each further one doubles it (up to 8 s), with jitter. Default 500ms. */
        @WithDefault("500ms")
        Duration retryInitialBackoff();
    }

    /** The S3 endpoint. */
    interface S3 {
        /** An S3-compatible endpoint for local runs and tests; unset in AWS, where the SDK finds S3 itself. */
        Optional<URI> endpoint();

        /** {@code true} for S3-compatible servers that need path-style addressing. Default {@code false}. */
        @WithDefault("false")
        boolean pathStyle();

        /** The region; without it the AWS SDK's region chain decides ({@code AWS_REGION} on Lambda). */
        Optional<String> region();

        /**
         * Time kept for storing and signing the images after the upstream call: the upstream call ends
         * this long before the invocation does (less 2 s to answer), and storage may then run until the
         * invocation's end, so that images made just in time are still kept. Without an invocation
         * deadline (local runs), storage may take this long after the upstream timeout. Default {@code 5s},
         * several times what ten 4 MB uploads take in the function's own region.
         */
        @WithDefault("5s")
        Duration reserve();
    }

    /** Gateway keys. */
    interface Auth {
        /**
         * Comma-separated lowercase hex SHA-256 hashes of the accepted gateway keys ({@code sk-gateway-…}).
         * Required: the keys themselves are never stored anywhere.
         */
        List<String> keyHashes();
    }

    /**
     * Long-term access keys of a principal that may only read generated images. A URL signed with the
     * Lambda role's temporary credentials dies with them, whatever expiry it names; long-term keys keep
     * the promised lifetime. Without them, the SDK's credential chain signs, and a URL is only issued
     * while those credentials outlive it.
     */
    interface Signing {
        /** Access key id of the signing principal. No default. */
        Optional<String> accessKeyId();

        /** Secret access key of the signing principal. No default. */
        Optional<String> secretAccessKey();

        /**
         * ARN or name of a Secrets Manager secret holding both keys as JSON,
         * {@code {"access_key_id": "...", "secret_access_key": "..."}}; read once at start-up. No
         * default; set either this or the two keys above.
         */
        Optional<String> secret();
    }

    /** The scheduled batch sweep over {@code batches/pending/} in the bucket, and the batch worker's deadline. */
    interface Batch {
        /**
         * Time kept free before the Lambda deadline. The batch worker only starts a line while more than
         * {@code upstream.timeout}, {@code s3.reserve}, 2 s and this remain. The sweep only starts a step
         * while the S3 calls it makes, at most 25 s each, and this remain. Default {@code 10s}.
         */
        @WithDefault("10s")
        Duration deadlineMargin();
    }

    /** Limits of what the gateway accepts and returns. */
    interface Limits {
        /** Largest request body accepted, in bytes; a larger one gets 413 unread. Default 1 MiB. */
        @WithDefault("1048576")
        int maxRequestBytes();

        /**
         * Largest body of one {@code POST /v1/images/edits}, in bytes (multipart uploads, or JSON with
         * {@code data:} URLs); a larger one gets 413 unread, naming what works instead ({@code image_url},
         * {@code file_id}). Default 6,000,000: what Lambda's 6 MB synchronous request leaves. API Gateway
         * and Function URLs hand a multipart body to Lambda base64-encoded, so through them only about
         * 4.4 MB of multipart body arrives at all; larger ones are refused by the platform itself.
         */
        @WithDefault("6000000")
        int maxEditRequestBytes();

        /**
         * Largest response body the gateway sends, in bytes. Lambda and API Gateway refuse answers over
         * 6,291,456 bytes; the default leaves 64 KiB of that for headers and the event envelope.
         */
        @WithDefault("6225920")
        int maxResponseBytes();
    }

    /**
     * The Batch API's engine: lines go through an SQS queue to the worker (the same function, another
     * event source). Without {@link #queueUrl()}, creating a batch answers 503 and nothing is enqueued.
     */
    interface Batches {
        /** URL of the SQS queue of batch work (start, line and check messages). No default. */
        Optional<String> queueUrl();

        /**
         * URL of the queue's dead-letter queue. Messages the worker receives from it are never run again:
         * their lines are recorded as failed, so that the batch still finishes. No default.
         */
        Optional<String> deadLetterQueueUrl();

        /** An SQS-compatible endpoint for local runs and tests; unset in AWS. */
        Optional<URI> sqsEndpoint();

        /**
         * How long the {@code url} links in a batch's output file stay valid, counted from when the output
         * is written. Default {@code 24h}; at most {@code 7d}, and only that long with long-lived signing
         * keys ({@code images.signing.*}): links signed with the role's temporary credentials die with them.
         */
        @WithDefault("24h")
        Duration outputUrlTtl();

        /** How often a running batch is checked for completion, cancel and expiry. Default {@code 30s}. */
        @WithDefault("30s")
        Duration checkInterval();

        /**
         * How many times a line whose failure is retry-safe (nothing was billed) is run before it is
         * recorded as failed. Default 5.
         */
        @WithDefault("5")
        int maxAttempts();

        /** Delay before a retry-safe failure is run again; doubled per attempt, at most 15 minutes. Default {@code 30s}. */
        @WithDefault("30s")
        Duration retryBackoff();

        /**
         * How long after creation a batch expires. The API only accepts {@code completion_window: "24h"};
         * this exists so that tests can see expiry. Default {@code 24h}.
         */
        @WithDefault("24h")
        Duration completionWindow();

        /**
         * Smallest part of a batch's output and error files, in bytes. A file's parts are larger when its
         * results' total size needs it, so that the file fits S3's 10,000 parts (at least total ÷ 9,000).
         * Default 8 MiB; S3 refuses parts under 5 MiB but the last, so a smaller value is for tests only.
         */
        @WithDefault("8388608")
        int outputPartBytes();
    }

    /** Files and uploads, kept in the bucket under {@code files/} and {@code uploads/}. */
    interface Files {
        /**
         * How long a file lives when its upload names no {@code expires_after}. Default {@code 30d}; the
         * bucket's lifecycle rule removes the objects after the longest allowed lifetime.
         */
        @WithDefault("30d")
        Duration defaultExpiry();

        /**
         * Largest file content answered inline by {@code GET /v1/files/{id}/content}; larger content is a
         * redirect to a pre-signed GET. Default 5 MiB, under Lambda's 6 MB answer.
         */
        @WithDefault("5242880")
        int maxInlineBytes();

        /**
         * Largest body of one {@code POST /v1/files} or {@code POST /v1/uploads/{id}/parts} request, in
         * bytes. Default 6,000,000: what Lambda's 6 MB request limit leaves; API Gateway's base64 of a
         * multipart body leaves about 4.4 MB of file data.
         */
        @WithDefault("6000000")
        int maxRequestBytes();
    }
}
