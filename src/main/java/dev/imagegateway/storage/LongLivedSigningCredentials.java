package dev.imagegateway.storage;

import dev.imagegateway.error.StorageUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Credentials for pre-signing that are known to outlive the URL they sign. S3 refuses a pre-signed
 * URL once the credentials that signed it expire, whatever {@code X-Amz-Expires} says, so a URL
 * promised for 60 minutes must be signed with credentials that have at least that much life left.
 *
 * <p>Credentials without an expiry (long-term access keys, the recommended signing setup) always pass.
 * Temporary ones pass while they outlive the URL by a safety margin; otherwise a fresh provider is
 * asked once (refreshing sources such as the container credentials endpoint hand out newer ones), and
 * if those are short-lived too, no URL is issued: a link that silently dies early would break the
 * contract, a clear 503 does not.
 */
public final class LongLivedSigningCredentials implements AwsCredentialsProvider {

    /** Slack for clock skew between us and S3 and for the time between signing and answering. */
    static final Duration MARGIN = Duration.ofMinutes(2);

    private final Supplier<AwsCredentialsProvider> sources;
    private final Duration urlTtl;
    private final Clock clock;
    private volatile AwsCredentialsProvider current;

    /**
     * @param sources makes a credentials provider; called again when the current one's credentials
     *     would die before a URL signed now
     */
    public LongLivedSigningCredentials(Supplier<AwsCredentialsProvider> sources, Duration urlTtl, Clock clock) {
        this.sources = sources;
        this.urlTtl = urlTtl;
        this.clock = clock;
    }

    @Override
    public AwsCredentials resolveCredentials() {
        AwsCredentialsProvider provider = provider();
        AwsCredentials credentials = provider.resolveCredentials();
        if (outlivesUrl(credentials)) {
            return credentials;
        }
        AwsCredentialsProvider fresh = sources.get();
        credentials = fresh.resolveCredentials();
        current = fresh;
        if (outlivesUrl(credentials)) {
            return credentials;
        }
        throw new StorageUnavailableException("The gateway cannot sign a link that stays valid for " + urlTtl.toMinutes()
                + " minutes right now (its signing credentials expire sooner); retry later or ask for"
                + " response_format=b64_json.", null);
    }

    private AwsCredentialsProvider provider() {
        AwsCredentialsProvider provider = current;
        if (provider == null) {
            provider = sources.get();
            current = provider;
        }
        return provider;
    }

    private boolean outlivesUrl(AwsCredentials credentials) {
        Optional<Instant> expiry = credentials.expirationTime();
        return expiry.isEmpty() || !expiry.get().isBefore(clock.instant().plus(urlTtl).plus(MARGIN));
    }
}
