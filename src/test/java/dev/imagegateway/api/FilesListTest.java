package dev.imagegateway.api;

import static dev.imagegateway.api.RequestErrorsTest.assertEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegateway.testsupport.FilesApi;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.UpstreamTestServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/files}: newest first by default, {@code order}, {@code after}, {@code limit} and
 * {@code purpose} as OpenAI takes them, and only the caller's own files.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class FilesListTest {

    private static final byte[] LINE = "{}\n".getBytes(StandardCharsets.UTF_8);

    private final FilesApi caller = FilesApi.as(Gateway.CALLER_KEY);
    private final FilesApi other = FilesApi.as(Gateway.OTHER_CALLER_KEY);

    private String oldest;
    private String middle;
    private String newest;

    @BeforeEach
    void threeFilesOfTwoPurposes() {
        caller.deleteAll();
        other.deleteAll();
        oldest = caller.createdId("first.jsonl", LINE, "batch");
        middle = caller.createdId("second.png", LINE, "vision");
        newest = caller.createdId("third.jsonl", LINE, "batch");
    }

    @Test
    void list_byDefault_isNewestFirst_withOpenAisPageShape() {
        Response response = caller.list("");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("object")).isEqualTo("list");
        assertThat(ids(response)).containsExactly(newest, middle, oldest);
        assertThat(response.jsonPath().getString("first_id")).isEqualTo(newest);
        assertThat(response.jsonPath().getString("last_id")).isEqualTo(oldest);
        assertThat(response.jsonPath().getBoolean("has_more")).isFalse();
        assertThat(response.jsonPath().getString("data[0].filename")).isEqualTo("third.jsonl");
    }

    @Test
    void list_orderAsc_isOldestFirst() {
        assertThat(ids(caller.list("order=asc"))).containsExactly(oldest, middle, newest);
        assertThat(ids(caller.list("order=desc"))).containsExactly(newest, middle, oldest);
    }

    @Test
    void list_limitAndAfter_pageThroughInEitherOrder() {
        Response first = caller.list("limit=2");
        Response rest = caller.list("limit=2&after=" + first.jsonPath().getString("last_id"));
        Response ascending = caller.list("order=asc&limit=1&after=" + oldest);

        assertThat(ids(first)).containsExactly(newest, middle);
        assertThat(first.jsonPath().getBoolean("has_more")).isTrue();
        assertThat(ids(rest)).containsExactly(oldest);
        assertThat(rest.jsonPath().getBoolean("has_more")).isFalse();
        assertThat(ids(ascending)).containsExactly(middle);
        assertThat(ascending.jsonPath().getBoolean("has_more")).isTrue();
    }

    @Test
    void list_afterADeletedFile_stillStartsAfterItsPlace() {
        caller.delete(middle);

        assertThat(ids(caller.list("after=" + middle))).containsExactly(oldest);
    }

    @Test
    void list_purpose_keepsOnlyThatPurpose() {
        assertThat(ids(caller.list("purpose=batch"))).containsExactly(newest, oldest);
        assertThat(ids(caller.list("purpose=vision"))).containsExactly(middle);
        assertThat(ids(caller.list("purpose=fine-tune"))).isEmpty();
        assertThat(caller.list("purpose=fine-tune").jsonPath().getString("first_id")).isNull();
    }

    @Test
    void list_ofAnotherKey_showsNoneOfTheseFiles() {
        String theirs = other.createdId("theirs.jsonl", LINE, "batch");

        assertThat(ids(other.list(""))).containsExactly(theirs);
        assertThat(ids(caller.list(""))).containsExactly(newest, middle, oldest);
    }

    @Test
    void list_withALimitOrOrderOpenAiRefuses_is400NamingIt() {
        Response zero = caller.list("limit=0");
        Response tooMany = caller.list("limit=10001");
        Response notANumber = caller.list("limit=ten");
        Response sideways = caller.list("order=sideways");

        assertEnvelope(zero, 400, "invalid_request_error", "integer_below_min_value");
        assertThat(zero.jsonPath().getString("error.param")).isEqualTo("limit");
        assertEnvelope(tooMany, 400, "invalid_request_error", "integer_above_max_value");
        assertEnvelope(notANumber, 400, "invalid_request_error", "invalid_type");
        assertEnvelope(sideways, 400, "invalid_request_error", "invalid_value");
        assertThat(sideways.jsonPath().getString("error.param")).isEqualTo("order");
        assertThat(ids(caller.list("limit=10000"))).hasSize(3);
    }

    private static List<String> ids(Response response) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return response.jsonPath().getList("data.id", String.class);
    }
}
