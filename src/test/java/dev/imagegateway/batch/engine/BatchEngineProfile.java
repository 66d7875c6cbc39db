package dev.imagegateway.batch.engine;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Batch tests in seconds: checks every second, one-second backoff, three attempts, and one upstream
 * attempt per request so that the queue's retries (not the gateway's own) are what a test sees. A
 * second gateway key ({@link #OTHER_KEY}) owns nothing of the first's.
 */
public class BatchEngineProfile implements QuarkusTestProfile {

    public static final String OTHER_KEY = "sk-gateway-other-caller";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "images.batches.check-interval", "1s",
                "images.batches.retry-backoff", "1s",
                "images.batches.max-attempts", "3",
                "images.upstream.max-attempts", "1",
                "images.auth.key-hashes", "1baf66dd75a1739b6c7b60bd7252f2f2ce2f56640b808c247d2304f77fb2ad98,"
                        + "14b62c9d574e2d74447c14825f91ffca55d5fa27feea5b3bcba85bd138b5cd52");
    }
}
