package dev.imagegateway.catalog;

import dev.imagegateway.testsupport.S3TestServer;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;

/** The test S3 server with an operator catalog already in the bucket, and the gateway pointed at it. */
public class CatalogInS3TestServer extends S3TestServer {

    static final String KEY = "config/models.json";
    static final String CATALOG = """
            {"models": {"s3-image-1": {"like": "gpt-image-2", "owned_by": "s3-operator", "upstream_model": "gpt-image-2.5-flare"}}}
            """;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        client().putObject(put -> put.bucket(BUCKET).key(KEY), RequestBody.fromString(CATALOG));
        config.put("images.models.catalog", "s3://" + BUCKET + "/" + KEY);
        return config;
    }
}
