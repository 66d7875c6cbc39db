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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code template.yaml} read as data and held to what an operator relies on. The template writes its
 * intrinsic functions in long form ({@code Ref:}, {@code Fn::Sub:}), so references survive parsing.
 */
class TemplateTest {

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
            assertThat(property(function, "Runtime").asText()).isIn("java17", "java21");
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
    void policies_areScopedToThisBucketAndTheseSecrets_only() {
        for (JsonNode function : functions()) {
            for (JsonNode policy : property(function, "Policies")) {
                if (policy.has("Statement")) {
                    for (JsonNode statement : policy.get("Statement")) {
                        assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
                        for (JsonNode action : asList(statement.get("Action"))) {
                            assertThat(action.asText()).startsWith("s3:").doesNotContain("*");
                        }
                        String resource = statement.get("Resource").toString();
                        assertThat(resource).contains("ImagesBucket").doesNotContain("\"*\"");
                        if (!statement.get("Action").toString().contains("s3:ListBucket")) {
                            assertThat(resource).containsAnyOf("/images/*", "/batches/*");
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
        assertThat(longWait.at("/Properties/Policies").toString()).doesNotContain("batches")
                .isEqualTo(resources.at("/GatewayFunction/Properties/Policies").toString());
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
    }

    private static List<JsonNode> functions() {
        List<JsonNode> functions = new ArrayList<>();
        resources.forEach(resource -> {
            if ("AWS::Serverless::Function".equals(resource.get("Type").asText())) {
                functions.add(resource);
            }
        });
        assertThat(functions).hasSize(3);
        return functions;
    }

    /** A function's property, or the Globals' when the function does not set it. */
    private static JsonNode property(JsonNode function, String name) {
        JsonNode own = function.at("/Properties/" + name);
        return own.isMissingNode() ? template.at("/Globals/Function/" + name) : own;
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
