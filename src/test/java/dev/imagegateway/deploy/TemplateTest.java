package dev.imagegateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.imagegateway.config.GatewayConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code template.yaml} read as data and held to what an operator relies on. The template writes its
 * intrinsic functions in long form ({@code Ref:}, {@code Fn::Sub:}), so references survive parsing.
 */
class TemplateTest {

    /** Where the functions may read and write objects; every object statement names some of these. */
    private static final Set<String> OBJECT_PREFIXES = Set.of("images/*", "batches/*", "files/*", "uploads/*",
            "batches/api/*");
    private static final Set<String> QUEUES = Set.of("BatchWorkQueue", "BatchWorkDeadLetterQueue");

    private static JsonNode template;
    private static JsonNode resources;

    @BeforeAll
    static void read() throws IOException {
        template = new YAMLMapper().readTree(Path.of("template.yaml").toFile());
        resources = template.get("Resources");
    }

    @Test
    void isASamTemplate_onAJavaRuntime_withSnapStartOnAnAlias() {
        assertThat(template.get("Transform").asText()).isEqualTo("AWS::Serverless-2016-10-31");
        for (JsonNode function : functions()) {
            // java17 is deprecated on Lambda (no creates since 2026-07-31, no updates since 2026-08-31).
            assertThat(property(function, "Runtime").asText()).isEqualTo("java21");
            assertThat(property(function, "SnapStart").at("/ApplyOn").asText()).isEqualTo("PublishedVersions");
            assertThat(property(function, "AutoPublishAlias").asText()).isNotBlank();
            assertThat(property(function, "CodeUri").asText()).isEqualTo("target/function.zip");
            assertThat(property(function, "MemorySize").asInt()).isBetween(512, 10240);
        }
    }

    @Test
    void handler_isAPublicClassOfOurs_withTheStreamSignatureTheLambdaRuntimeLooksFor() throws Exception {
        for (JsonNode function : functions()) {
            String[] handler = property(function, "Handler").asText().split("::");
            Class<?> entry = Class.forName(handler[0]);
            assertThat(Modifier.isPublic(entry.getModifiers())).isTrue();
            assertThat(entry.getConstructor()).isNotNull();
            Method method = entry.getMethod(handler[1], InputStream.class, OutputStream.class, Context.class);
            assertThat(Modifier.isPublic(method.getModifiers())).isTrue();
        }
    }

    @Test
    void environmentNames_areAllPropertiesOfTheConfigurationMapping_andCoverEveryRequiredOne() {
        Map<String, Boolean> known = new HashMap<>(); // environment name -> required
        collect(GatewayConfig.class, "images.", known);
        List<String> given = new ArrayList<>();
        for (JsonNode function : functions()) {
            given.addAll(names(template.at("/Globals/Function/Environment/Variables")));
            given.addAll(names(function.at("/Properties/Environment/Variables")));
            List<String> names = new ArrayList<>(names(template.at("/Globals/Function/Environment/Variables")));
            names.addAll(names(function.at("/Properties/Environment/Variables")));
            known.forEach((name, required) -> {
                if (required) {
                    assertThat(names).as("required setting").contains(name);
                }
            });
        }
        assertThat(given).allSatisfy(name -> assertThat(known).as(name).containsKey(name));
        assertThat(given).contains("IMAGES_UPSTREAM_API_KEY_SECRET").doesNotContain("IMAGES_UPSTREAM_API_KEY",
                "IMAGES_SIGNING_SECRET_ACCESS_KEY");
        // The template's upstream is OpenAI, where the original default model is retired: a live one is set.
        assertThat(template.at("/Globals/Function/Environment/Variables/IMAGES_MODELS_DEFAULT/Ref").asText())
                .isEqualTo("DefaultModel");
        assertThat(template.at("/Parameters/DefaultModel/Default").asText()).isEqualTo("gpt-image-2");
    }

    @Test
    void secrets_areNeverPlainParameters_andKeyHashesAreNoEcho() {
        JsonNode parameters = template.get("Parameters");
        assertThat(parameters.at("/GatewayKeyHashes/NoEcho").asBoolean()).isTrue();
        assertThat(parameters.at("/UpstreamApiKeySecretArn/AllowedPattern").asText()).contains("secretsmanager");
        assertThat(parameters.at("/SigningKeysSecretArn/AllowedPattern").asText()).contains("secretsmanager");
        for (Iterator<String> names = parameters.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (name.matches("(?i).*(apikey|secretaccesskey|password|token)$")) {
                throw new AssertionError("Parameter " + name + " would carry a secret in plain text");
            }
        }
    }

    @Test
    void policies_areScopedToThisBucketTheseQueuesAndTheseSecrets_only() {
        for (JsonNode function : functions()) {
            for (JsonNode policy : property(function, "Policies")) {
                if (policy.has("Statement")) {
                    for (JsonNode statement : policy.get("Statement")) {
                        assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
                        List<String> actions = asList(statement.get("Action")).stream().map(JsonNode::asText).toList();
                        assertThat(actions).allSatisfy(action -> assertThat(action).matches("(s3|sqs):[A-Za-z]+"));
                        // One service per statement, so that each statement's resources are of one kind.
                        assertThat(actions.stream().map(action -> action.substring(0, action.indexOf(':'))).distinct())
                                .hasSize(1);
                        List<String> targets = asList(statement.get("Resource")).stream().map(TemplateTest::target)
                                .toList();
                        if (actions.get(0).startsWith("sqs:")) {
                            assertThat(targets).isNotEmpty().allSatisfy(target -> assertThat(target).isIn(QUEUES));
                        } else if (actions.contains("s3:ListBucket")) {
                            assertThat(actions).containsExactly("s3:ListBucket");
                            assertThat(targets).containsExactly("ImagesBucket");
                            JsonNode prefixes = statement.at("/Condition/StringLike/s3:prefix");
                            assertThat(asList(prefixes)).as("ListBucket is conditioned on prefixes").isNotEmpty()
                                    .allSatisfy(prefix -> assertThat(prefix.asText()).isIn(OBJECT_PREFIXES));
                        } else {
                            assertThat(targets).isNotEmpty()
                                    .allSatisfy(target -> assertThat(target).isIn(OBJECT_PREFIXES));
                        }
                    }
                } else {
                    JsonNode secretPolicy = policy.has("Fn::If") ? policy.get("Fn::If").get(1) : policy;
                    assertThat(secretPolicy.fieldNames().next()).isEqualTo("AWSSecretsManagerGetSecretValuePolicy");
                    assertThat(secretPolicy.at("/AWSSecretsManagerGetSecretValuePolicy/SecretArn/Ref").asText())
                            .isIn("UpstreamApiKeySecretArn", "SigningKeysSecretArn");
                }
            }
        }
    }

    @Test
    void policies_grantEachFunctionExactlyTheActionsAndPrefixesItUses() {
        Set<String> gatewayObjects = Set.of("images/*", "files/*", "uploads/*", "batches/api/*");
        assertThat(grants("GatewayFunction")).isEqualTo(Map.of(
                "s3:GetObject", gatewayObjects,
                "s3:PutObject", gatewayObjects,
                "s3:DeleteObject", gatewayObjects,
                "s3:AbortMultipartUpload", Set.of("files/*"),
                "s3:ListBucket", Set.of("ImagesBucket"),
                "sqs:SendMessage", Set.of("BatchWorkQueue")));
        assertThat(listablePrefixes("GatewayFunction")).containsExactlyInAnyOrder("files/*", "uploads/*",
                "batches/api/*");

        Set<String> workerObjects = Set.of("images/*", "files/*", "batches/api/*");
        assertThat(grants("BatchWorkerFunction")).isEqualTo(Map.of(
                "s3:GetObject", workerObjects,
                "s3:PutObject", workerObjects,
                // DeleteObject under batches/api/: a line's claim is released after a retry-safe failure.
                "s3:DeleteObject", workerObjects,
                "s3:AbortMultipartUpload", Set.of("files/*"),
                "s3:ListBucket", Set.of("ImagesBucket"),
                "sqs:SendMessage", Set.of("BatchWorkQueue"),
                // A failed record's backoff, on the dead-letter queue too.
                "sqs:ChangeMessageVisibility", QUEUES,
                // What its event source mappings poll with, on the two queues only.
                "sqs:ReceiveMessage", QUEUES,
                "sqs:DeleteMessage", QUEUES,
                "sqs:GetQueueAttributes", QUEUES));
        assertThat(listablePrefixes("BatchWorkerFunction")).containsExactlyInAnyOrder("batches/api/*", "files/*");

        // The sweep runs no line itself (the worker does): no access to images/.
        Set<String> sweepObjects = Set.of("batches/*", "files/*");
        assertThat(grants("BatchFunction")).isEqualTo(Map.of(
                "s3:GetObject", sweepObjects,
                "s3:PutObject", sweepObjects,
                "s3:DeleteObject", sweepObjects,
                "s3:AbortMultipartUpload", sweepObjects,
                "s3:ListBucket", Set.of("ImagesBucket"),
                "sqs:SendMessage", Set.of("BatchWorkQueue")));
        assertThat(listablePrefixes("BatchFunction")).containsExactlyInAnyOrder("batches/*", "files/*");

        Set<String> images = Set.of("images/*");
        assertThat(grants("LongWaitFunction")).isEqualTo(Map.of(
                "s3:GetObject", images,
                "s3:PutObject", images,
                "s3:DeleteObject", images));
    }

    @Test
    void everyFunctionThatStoresImages_mayDeleteThem_soAFailedRequestLeavesNoOrphans() {
        for (JsonNode function : functions()) {
            for (JsonNode policy : property(function, "Policies")) {
                for (JsonNode statement : policy.path("Statement")) {
                    if (statement.path("Sid").asText().equals("StoreAndLinkImages")) {
                        assertThat(asList(statement.get("Action"))).extracting(JsonNode::asText)
                                .contains("s3:PutObject", "s3:GetObject", "s3:DeleteObject");
                    }
                }
            }
        }
    }

    @Test
    void bucket_isPrivate_encrypted_andExpiresImages() {
        JsonNode bucket = resources.at("/ImagesBucket/Properties");
        JsonNode block = bucket.get("PublicAccessBlockConfiguration");
        for (String setting : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls",
                "RestrictPublicBuckets")) {
            assertThat(block.get(setting).asBoolean()).as(setting).isTrue();
        }
        assertThat(bucket.at("/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault"
                + "/SSEAlgorithm").asText()).isIn("AES256", "aws:kms");
        JsonNode imagesRule = null;
        for (JsonNode rule : bucket.at("/LifecycleConfiguration/Rules")) {
            if ("images/".equals(rule.path("Prefix").asText())) {
                imagesRule = rule;
            }
        }
        assertThat(imagesRule).isNotNull();
        assertThat(imagesRule.get("Status").asText()).isEqualTo("Enabled");
        assertThat(imagesRule.at("/ExpirationInDays/Ref").asText()).isEqualTo("ImageRetentionDays");
    }

    @Test
    void httpApiRoutes_generationsAndModels_areOnTheGatewayFunction_withinApiGatewaysThirtySeconds() {
        JsonNode gateway = resources.get("GatewayFunction");
        JsonNode event = gateway.at("/Properties/Events/Generate");
        assertThat(event.get("Type").asText()).isEqualTo("HttpApi");
        assertThat(event.at("/Properties/Path").asText()).isEqualTo("/v1/images/generations");
        assertThat(event.at("/Properties/Method").asText()).isEqualTo("POST");
        JsonNode list = gateway.at("/Properties/Events/ListModels/Properties");
        assertThat(gateway.at("/Properties/Events/ListModels/Type").asText()).isEqualTo("HttpApi");
        assertThat(list.get("Path").asText()).isEqualTo("/v1/models");
        assertThat(list.get("Method").asText()).isEqualTo("GET");
        JsonNode retrieve = gateway.at("/Properties/Events/RetrieveModel/Properties");
        assertThat(gateway.at("/Properties/Events/RetrieveModel/Type").asText()).isEqualTo("HttpApi");
        assertThat(retrieve.get("Path").asText()).isEqualTo("/v1/models/{model}");
        assertThat(retrieve.get("Method").asText()).isEqualTo("GET");
        // Other paths and methods reach the gateway too, for its own 404/405 envelope and x-request-id.
        JsonNode everything = gateway.at("/Properties/Events/Everything/Properties");
        assertThat(everything.get("Path").asText()).isEqualTo("/{proxy+}");
        assertThat(everything.get("Method").asText()).isEqualTo("ANY");
        assertThat(gateway.at("/Properties/Events/Root/Properties/Path").asText()).isEqualTo("/");
        int timeout = gateway.at("/Properties/Timeout").asInt();
        assertThat(timeout).isLessThanOrEqualTo(30);
        String upstreamTimeout = gateway.at("/Properties/Environment/Variables/IMAGES_UPSTREAM_TIMEOUT").asText();
        // 2 s to answer and the 5 s storage reserve (images.s3.reserve) come after the upstream call.
        assertThat(Integer.parseInt(upstreamTimeout.replace("s", "")) + 2 + 5).isLessThanOrEqualTo(timeout);
    }

    @Test
    void schedule_isParameterised_canBeSwitchedOff_andTheBatchHasNoHttpFrontDoor() {
        JsonNode batch = resources.get("BatchFunction");
        JsonNode sweep = batch.at("/Properties/Events/Sweep");
        assertThat(sweep.get("Type").asText()).isEqualTo("Schedule");
        assertThat(sweep.at("/Properties/Schedule/Ref").asText()).isEqualTo("BatchSchedule");
        assertThat(sweep.at("/Properties/State/Ref").asText()).isEqualTo("BatchScheduleState");
        assertThat(template.at("/Parameters/BatchScheduleState/AllowedValues").toString()).contains("DISABLED");
        assertThat(batch.at("/Properties/ReservedConcurrentExecutions").asInt()).isEqualTo(1);
        assertThat(batch.at("/Properties/Events").toString()).doesNotContain("HttpApi", "\"Api\"");
        assertThat(batch.at("/Properties").has("FunctionUrlConfig")).isFalse();
        assertThat(resources.at("/GatewayFunction/Properties").has("FunctionUrlConfig")).isFalse();
        assertThat(template.at("/Globals/Function").has("FunctionUrlConfig")).isFalse();
        List<String> withUrl = new ArrayList<>();
        resources.properties().forEach(resource -> {
            if (resource.getValue().at("/Properties").has("FunctionUrlConfig")) {
                withUrl.add(resource.getKey());
            }
        });
        assertThat(withUrl).containsExactly("LongWaitFunction");
    }

    @Test
    void longWaitDoor_isAPublicFunctionUrl_authenticatedByTheGateway_withTheSameHandlerAndNoBatchAccess() {
        JsonNode longWait = resources.get("LongWaitFunction");
        assertThat(longWait.at("/Properties/FunctionUrlConfig/AuthType").asText()).isEqualTo("NONE");
        assertThat(longWait.at("/Properties/FunctionUrlConfig/InvokeMode").asText()).isEqualTo("BUFFERED");
        // Our own key check is what guards a public URL: the accepted hashes reach this function too.
        assertThat(template.at("/Globals/Function/Environment/Variables/IMAGES_AUTH_KEY_HASHES/Ref").asText())
                .isEqualTo("GatewayKeyHashes");
        assertThat(longWait.at("/Properties/Environment/Variables").has("IMAGES_AUTH_KEY_HASHES")).isFalse();
        assertThat(longWait.at("/Properties").has("Handler")).isFalse();
        assertThat(longWait.at("/Properties").has("CodeUri")).isFalse();
        assertThat(longWait.at("/Properties").has("Events")).isFalse();
        // The gateway's policies less the one for the Files, Uploads and Batch APIs.
        List<JsonNode> imagesOnly = new ArrayList<>();
        resources.at("/GatewayFunction/Properties/Policies").forEach(policy -> {
            if (!policy.toString().contains("/files/*")) {
                imagesOnly.add(policy);
            }
        });
        assertThat(longWait.at("/Properties/Policies").toString()).doesNotContain("batches", "files/", "uploads/",
                "sqs:");
        assertThat(asList(longWait.at("/Properties/Policies"))).isEqualTo(imagesOnly);
        JsonNode permission = resources.get("LongWaitFunctionUrlInvokePermission");
        assertThat(permission.get("Type").asText()).isEqualTo("AWS::Lambda::Permission");
        assertThat(permission.at("/Properties/Action").asText()).isEqualTo("lambda:InvokeFunction");
        assertThat(permission.at("/Properties/InvokedViaFunctionUrl").asBoolean()).isTrue();
        assertThat(permission.at("/Properties/FunctionName/Ref").asText()).isEqualTo("LongWaitFunction.Alias");
        assertThat(template.at("/Outputs/LongWaitUrl/Value/Fn::GetAtt").toString())
                .isEqualTo("[\"LongWaitFunctionUrl\",\"FunctionUrl\"]");
    }

    @Test
    void longWaitDoor_waitsMinutes_andItsUpstreamCallEndsBeforeTheFunctionDoes() {
        JsonNode longWait = resources.get("LongWaitFunction");
        assertThat(longWait.at("/Properties/Timeout/Ref").asText()).isEqualTo("LongWaitTimeout");
        JsonNode parameter = template.at("/Parameters/LongWaitTimeout");
        assertThat(parameter.get("Default").asInt()).isBetween(120, 900);
        JsonNode findInMap = longWait.at("/Properties/Environment/Variables/IMAGES_UPSTREAM_TIMEOUT/Fn::FindInMap");
        assertThat(findInMap.get(0).asText()).isEqualTo("LongWaitUpstreamTimeouts");
        assertThat(findInMap.at("/1/Ref").asText()).isEqualTo("LongWaitTimeout");
        JsonNode timeouts = template.at("/Mappings/" + findInMap.get(0).asText());
        assertThat(parameter.get("AllowedValues")).isNotEmpty();
        for (JsonNode allowed : parameter.get("AllowedValues")) {
            int functionTimeout = allowed.asInt();
            assertThat(functionTimeout).as("Lambda's maximum").isLessThanOrEqualTo(900);
            String upstream = timeouts.at("/" + allowed.asText() + "/" + findInMap.get(2).asText()).asText();
            assertThat(upstream).as("upstream timeout for " + functionTimeout).matches("[0-9]+s");
            int upstreamSeconds = Integer.parseInt(upstream.replace("s", ""));
            // Room after the upstream call to store the image, sign its link and answer.
            assertThat(upstreamSeconds).as("upstream timeout for " + functionTimeout)
                    .isLessThanOrEqualTo(functionTimeout - 10)
                    .isGreaterThan(25);
        }
        int httpDoor = resources.at("/GatewayFunction/Properties/Timeout").asInt();
        assertThat(parameter.get("Default").asInt()).as("the long door outwaits the HTTP API").isGreaterThan(httpDoor);
    }

    @Test
    void outputs_nameTheApiUrlAndTheBucket() {
        assertThat(template.at("/Outputs/ApiUrl/Value/Fn::Sub").asText()).contains("${ServerlessHttpApi}");
        assertThat(template.at("/Outputs/BucketName/Value/Ref").asText()).isEqualTo("ImagesBucket");
        assertThat(template.at("/Outputs/LongWaitUrl/Value").isMissingNode()).isFalse();
        assertThat(template.at("/Outputs/BatchQueueUrl/Value/Ref").asText()).isEqualTo("BatchWorkQueue");
        assertThat(template.at("/Outputs/BatchDeadLetterQueueUrl/Value/Ref").asText())
                .isEqualTo("BatchWorkDeadLetterQueue");
    }

    @Test
    void httpApiRoutes_ofTheFilesUploadsAndBatchApis_areOnTheGatewayFunction_withOpenAisMethods() {
        List<String> routes = new ArrayList<>();
        for (JsonNode function : functions()) {
            function.at("/Properties/Events").forEach(event -> {
                if ("HttpApi".equals(event.get("Type").asText())) {
                    assertThat(function).as("only the gateway has HTTP API routes")
                            .isSameAs(resources.get("GatewayFunction"));
                    routes.add(event.at("/Properties/Method").asText() + " " + event.at("/Properties/Path").asText());
                }
            });
        }
        assertThat(routes).doesNotHaveDuplicates().contains(
                "POST /v1/files", "GET /v1/files", "GET /v1/files/{id}", "DELETE /v1/files/{id}",
                "GET /v1/files/{id}/content",
                "POST /v1/uploads", "POST /v1/uploads/{id}/parts", "POST /v1/uploads/{id}/complete",
                "POST /v1/uploads/{id}/cancel",
                "POST /v1/batches", "GET /v1/batches", "GET /v1/batches/{id}", "POST /v1/batches/{id}/cancel");
    }

    @Test
    void batchQueue_outlastsTheWorkersRuns_andDeadLettersOnlyAfterMoreReceivesThanTheWorkerAttempts() throws Exception {
        JsonNode queue = resources.get("BatchWorkQueue");
        JsonNode deadLetters = resources.get("BatchWorkDeadLetterQueue");
        assertThat(queue.get("Type").asText()).isEqualTo("AWS::SQS::Queue");
        assertThat(deadLetters.get("Type").asText()).isEqualTo("AWS::SQS::Queue");
        int workerTimeout = resources.at("/BatchWorkerFunction/Properties/Timeout").asInt();
        // AWS's advice for a queue behind an event source mapping: six times the function's timeout
        // (SQS allows 12 hours at most).
        assertThat(queue.at("/Properties/VisibilityTimeout").asInt()).isGreaterThanOrEqualTo(6 * workerTimeout)
                .isLessThanOrEqualTo(43200);
        // A mapping refuses a queue whose visibility timeout is shorter than its function's timeout.
        assertThat(deadLetters.at("/Properties/VisibilityTimeout").asInt()).isGreaterThanOrEqualTo(workerTimeout);
        long queueRetention = queue.at("/Properties/MessageRetentionPeriod").asLong();
        assertThat(queueRetention).isGreaterThanOrEqualTo(4 * 86400)
                .isGreaterThan(seconds(defaultOf(GatewayConfig.Batches.class, "completionWindow")));
        // A dead-lettered message keeps its first enqueue time: the dead-letter queue must keep it longer.
        assertThat(deadLetters.at("/Properties/MessageRetentionPeriod").asLong()).isEqualTo(14 * 86400)
                .isGreaterThan(queueRetention);
        assertThat(queue.at("/Properties/RedrivePolicy/deadLetterTargetArn/Fn::GetAtt").toString())
                .isEqualTo("[\"BatchWorkDeadLetterQueue\",\"Arn\"]");
        // The worker records a line as failed after its last attempt; only what keeps crashing it is redriven.
        assertThat(queue.at("/Properties/RedrivePolicy/maxReceiveCount").asInt())
                .isGreaterThan(Integer.parseInt(defaultOf(GatewayConfig.Batches.class, "maxAttempts")));
        assertThat(queue.at("/Properties/SqsManagedSseEnabled").asBoolean()).isTrue();
        assertThat(deadLetters.at("/Properties/SqsManagedSseEnabled").asBoolean()).isTrue();
    }

    @Test
    void worker_readsBothQueues_oneMessageAtATime_reportingItsFailures_atTheConcurrencyTheOperatorSized() {
        List<String> sources = new ArrayList<>();
        resources.forEach(resource -> {
            if ("AWS::Lambda::EventSourceMapping".equals(resource.get("Type").asText())) {
                JsonNode mapping = resource.get("Properties");
                assertThat(mapping.at("/FunctionName/Ref").asText()).isEqualTo("BatchWorkerFunction.Alias");
                assertThat(mapping.at("/EventSourceArn/Fn::GetAtt/1").asText()).isEqualTo("Arn");
                sources.add(mapping.at("/EventSourceArn/Fn::GetAtt/0").asText());
                assertThat(mapping.get("BatchSize").asInt()).isEqualTo(1);
                assertThat(mapping.get("FunctionResponseTypes").toString()).isEqualTo("[\"ReportBatchItemFailures\"]");
                assertThat(mapping.at("/ScalingConfig/MaximumConcurrency/Ref").asText())
                        .isEqualTo("BatchMaxConcurrency");
            }
        });
        assertThat(sources).containsExactlyInAnyOrderElementsOf(QUEUES);
        JsonNode parameter = template.at("/Parameters/BatchMaxConcurrency");
        assertThat(parameter.get("Type").asText()).isEqualTo("Number");
        // AWS's bounds for MaximumConcurrency.
        assertThat(parameter.get("MinValue").asInt()).isEqualTo(2);
        assertThat(parameter.get("MaxValue").asInt()).isLessThanOrEqualTo(1000);
        assertThat(parameter.get("Default").asInt()).isBetween(2, parameter.get("MaxValue").asInt());
        assertThat(parameter.get("Description").asText()).contains("rate limit", "per minute");
        // A SAM SQS event would attach AWSLambdaSQSQueueExecutionRole, which may read and delete the messages
        // of every queue in the account; the mappings above are plain CloudFormation for that reason.
        for (JsonNode function : functions()) {
            function.at("/Properties/Events")
                    .forEach(event -> assertThat(event.get("Type").asText()).isNotEqualTo("SQS"));
        }
    }

    @Test
    void worker_runsFifteenMinutes_hasNoFrontDoor_andItsUpstreamCallEndsInTimeToStoreTheImages() throws Exception {
        JsonNode worker = resources.get("BatchWorkerFunction");
        int timeout = worker.at("/Properties/Timeout").asInt();
        assertThat(timeout).isEqualTo(900);
        long upstream = seconds(worker.at("/Properties/Environment/Variables/IMAGES_UPSTREAM_TIMEOUT").asText());
        // 2 s to answer and the storage reserve (images.s3.reserve) come after the upstream call.
        assertThat(upstream + 2 + seconds(defaultOf(GatewayConfig.S3.class, "reserve"))).isLessThanOrEqualTo(timeout);
        // Only its two event source mappings invoke it.
        assertThat(worker.at("/Properties").has("Events")).isFalse();
        assertThat(worker.at("/Properties").has("FunctionUrlConfig")).isFalse();
    }

    @Test
    void queueUrls_reachTheFunctionsThatSendOrReceiveBatchWork_only() {
        for (String name : List.of("GatewayFunction", "BatchFunction", "BatchWorkerFunction")) {
            assertThat(resources.at("/" + name + "/Properties/Environment/Variables/IMAGES_BATCHES_QUEUE_URL/Ref")
                    .asText()).as(name).isEqualTo("BatchWorkQueue");
        }
        assertThat(resources.at("/BatchWorkerFunction/Properties/Environment/Variables"
                + "/IMAGES_BATCHES_DEAD_LETTER_QUEUE_URL/Ref").asText()).isEqualTo("BatchWorkDeadLetterQueue");
        for (JsonNode variables : List.of(template.at("/Globals/Function/Environment/Variables"),
                resources.at("/LongWaitFunction/Properties/Environment/Variables"))) {
            assertThat(names(variables)).doesNotContain("IMAGES_BATCHES_QUEUE_URL",
                    "IMAGES_BATCHES_DEAD_LETTER_QUEUE_URL");
        }
    }

    @Test
    void bucket_expiresFilesUploadsAndBatchRecords_afterTheLongestTheyMayLive_andAbortsStaleMultipartUploads()
            throws Exception {
        Map<String, JsonNode> byPrefix = new HashMap<>();
        List<JsonNode> aborts = new ArrayList<>();
        for (JsonNode rule : resources.at("/ImagesBucket/Properties/LifecycleConfiguration/Rules")) {
            assertThat(rule.get("Status").asText()).isEqualTo("Enabled");
            if (rule.has("AbortIncompleteMultipartUpload")) {
                aborts.add(rule);
            } else {
                byPrefix.put(rule.get("Prefix").asText(), rule);
            }
        }
        assertThat(byPrefix).containsOnlyKeys("images/", "files/", "uploads/", "batches/api/");
        // A file lives at most 30 days (OpenAI's bound for expires_after, and the default expiry).
        long fileDays = seconds(defaultOf(GatewayConfig.Files.class, "defaultExpiry")) / 86400;
        assertThat(fileDays).isEqualTo(30);
        assertThat(byPrefix.get("files/").get("ExpirationInDays").asInt()).isEqualTo(fileDays + 1);
        assertThat(byPrefix.get("uploads/").get("ExpirationInDays").asInt()).isEqualTo(2);
        assertThat(byPrefix.get("batches/api/").get("ExpirationInDays").asInt()).isEqualTo(fileDays + 1);
        // Whole bucket: a multipart upload left behind by a run that ended half-way goes after a day.
        assertThat(aborts).hasSize(1);
        assertThat(aborts.get(0).has("Prefix")).isFalse();
        assertThat(aborts.get(0).at("/AbortIncompleteMultipartUpload/DaysAfterInitiation").asInt()).isEqualTo(1);
    }

    @Test
    void deadLetterQueue_isWatched_forWhatArrivesAndForWhatWaits() {
        List<String> metrics = new ArrayList<>();
        resources.forEach(resource -> {
            if ("AWS::CloudWatch::Alarm".equals(resource.get("Type").asText())) {
                JsonNode alarm = resource.get("Properties");
                assertThat(alarm.get("Namespace").asText()).isEqualTo("AWS/SQS");
                assertThat(alarm.at("/Dimensions/0/Name").asText()).isEqualTo("QueueName");
                assertThat(alarm.at("/Dimensions/0/Value/Fn::GetAtt").toString())
                        .isEqualTo("[\"BatchWorkDeadLetterQueue\",\"QueueName\"]");
                assertThat(alarm.get("Threshold").asInt()).isZero();
                assertThat(alarm.get("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
                metrics.add(alarm.get("MetricName").asText());
            }
        });
        assertThat(metrics).containsExactlyInAnyOrder("NumberOfMessagesReceived", "ApproximateNumberOfMessagesVisible");
    }

    @Test
    void everyFunction_hasALogGroupKeptThirtyDays() {
        List<String> logged = new ArrayList<>();
        resources.forEach(resource -> {
            if ("AWS::Logs::LogGroup".equals(resource.get("Type").asText())) {
                assertThat(resource.at("/Properties/RetentionInDays").asInt()).isEqualTo(30);
                logged.add(resource.at("/Properties/LogGroupName/Fn::Sub").asText());
            }
        });
        List<String> expected = new ArrayList<>();
        resources.properties().forEach(resource -> {
            if ("AWS::Serverless::Function".equals(resource.getValue().get("Type").asText())) {
                expected.add("/aws/lambda/${" + resource.getKey() + "}");
            }
        });
        assertThat(logged).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static List<JsonNode> functions() {
        List<JsonNode> functions = new ArrayList<>();
        resources.forEach(resource -> {
            if ("AWS::Serverless::Function".equals(resource.get("Type").asText())) {
                functions.add(resource);
            }
        });
        assertThat(functions).hasSize(4);
        return functions;
    }

    /** A function's property, or the Globals' when the function does not set it. */
    private static JsonNode property(JsonNode function, String name) {
        JsonNode own = function.at("/Properties/" + name);
        return own.isMissingNode() ? template.at("/Globals/Function/" + name) : own;
    }

    /** Each action the function's statements allow, with the resources it is allowed on (see {@link #target}). */
    private static Map<String, Set<String>> grants(String function) {
        Map<String, Set<String>> grants = new TreeMap<>();
        for (JsonNode statement : statements(function)) {
            for (JsonNode action : asList(statement.get("Action"))) {
                for (JsonNode resource : asList(statement.get("Resource"))) {
                    grants.computeIfAbsent(action.asText(), any -> new TreeSet<>()).add(target(resource));
                }
            }
        }
        return grants;
    }

    /** The s3:prefix values under which the function may list the bucket. */
    private static Set<String> listablePrefixes(String function) {
        Set<String> prefixes = new TreeSet<>();
        for (JsonNode statement : statements(function)) {
            if (statement.get("Action").toString().contains("s3:ListBucket")) {
                asList(statement.at("/Condition/StringLike/s3:prefix")).forEach(prefix -> prefixes.add(prefix.asText()));
            }
        }
        return prefixes;
    }

    private static List<JsonNode> statements(String function) {
        List<JsonNode> statements = new ArrayList<>();
        resources.at("/" + function + "/Properties/Policies")
                .forEach(policy -> policy.path("Statement").forEach(statements::add));
        return statements;
    }

    /**
     * A statement's resource in short: {@code files/*} for an object pattern of the bucket, the logical id
     * for a resource's ARN ({@code ImagesBucket}, {@code BatchWorkQueue}), the text itself for anything else.
     */
    private static String target(JsonNode resource) {
        if (resource.has("Fn::Sub")) {
            return resource.get("Fn::Sub").asText().replaceFirst("^\\$\\{ImagesBucket\\.Arn\\}/", "");
        }
        if (resource.has("Fn::GetAtt") && "Arn".equals(resource.at("/Fn::GetAtt/1").asText())) {
            return resource.at("/Fn::GetAtt/0").asText();
        }
        return resource.asText();
    }

    /** A property's {@code @WithDefault} in the configuration mapping. */
    private static String defaultOf(Class<?> group, String property) throws NoSuchMethodException {
        return group.getMethod(property).getAnnotation(io.smallrye.config.WithDefault.class).value();
    }

    /** Seconds of a duration as the template and the configuration write it: {@code 880s}, {@code 24h}, {@code 30d}. */
    private static long seconds(String duration) {
        long amount = Long.parseLong(duration.substring(0, duration.length() - 1));
        return switch (duration.charAt(duration.length() - 1)) {
            case 's' -> amount;
            case 'm' -> amount * 60;
            case 'h' -> amount * 3600;
            case 'd' -> amount * 86400;
            default -> throw new IllegalArgumentException("Not a duration: " + duration);
        };
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<JsonNode> asList(JsonNode node) {
        List<JsonNode> list = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(list::add);
        } else {
            list.add(node);
        }
        return list;
    }

    /** Every leaf of the mapping as its environment name, and whether it must be set. */
    private static void collect(Class<?> group, String prefix, Map<String, Boolean> known) {
        for (Method method : group.getMethods()) {
            io.smallrye.config.WithName named = method.getAnnotation(io.smallrye.config.WithName.class);
            String property = prefix + (named != null ? named.value()
                    : method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase());
            Class<?> type = method.getReturnType();
            if (type == Map.class) {
                continue; // named groups (images.upstreams.<name>.*): operator-chosen names, none required
            }
            if (type.isInterface() && type.getEnclosingClass() == GatewayConfig.class) {
                collect(type, property + ".", known);
            } else {
                boolean required = type != Optional.class
                        && !method.isAnnotationPresent(io.smallrye.config.WithDefault.class);
                known.put(property.toUpperCase().replaceAll("[^A-Z0-9]", "_"), required);
            }
        }
    }
}
