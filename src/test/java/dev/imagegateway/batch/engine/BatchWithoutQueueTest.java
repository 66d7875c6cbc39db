package dev.imagegateway.batch.engine;

import static dev.imagegateway.batch.engine.BatchTestSupport.create;
import static dev.imagegateway.batch.engine.BatchTestSupport.inputFile;
import static dev.imagegateway.batch.engine.BatchTestSupport.line;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegateway.api.GatewayKeys;
import dev.imagegateway.files.FileStore;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.S3TestServer.InjectS3;
import dev.imagegateway.testsupport.UpstreamTestServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** A gateway deployed without the batch queue refuses batches clearly and writes nothing. */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class BatchWithoutQueueTest {

    @Inject
    FileStore files;

    @Inject
    GatewayKeys keys;

    @InjectS3
    S3Client s3;

    @Test
    void createWithoutAQueue_is503ThatNoRetryCures_andWritesNoBatch() {
        String owner = keys.authenticate("Bearer " + Gateway.CALLER_KEY).owner();
        String fileId = inputFile(files, owner, line("a", "{\"prompt\":\"an otter\"}"));

        Response response = create(Gateway.CALLER_KEY, "{\"input_file_id\":\"" + fileId
                + "\",\"endpoint\":\"/v1/images/generations\",\"completion_window\":\"24h\"}");

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(503);
        assertThat(response.jsonPath().getString("error.code")).isEqualTo("batches_unavailable");
        assertThat(response.header("x-should-retry")).isEqualTo("false");
        assertThat(s3.listObjectsV2(list -> list.bucket(S3TestServer.BUCKET).prefix("batches/api/")).contents())
                .isEmpty();
    }
}
