package dev.imagegateway.storage;

import dev.imagegateway.error.StorageUnavailableException;
import io.quarkus.logging.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Credentials for pre-signing that are known to outlive the URL they sign. S3 refuses a pre-signed
 * URL once the credentials that signed it expire, whatever {@code X-Amz-Expires} says, so a URL
 * promised for 60 minutes must be signed with credentials that have at least that much life left.
 *
 * <p>
 * Long-term access keys (the recommended signing setup) have no expiry and always pass. Temporary
 * ones pass while they outlive the URL by a safety margin; otherwise a fresh provider is asked (at most
 * once a minute; refreshing sources such as the container credentials endpoint hand out newer ones),
 * and if those are short-lived too, no URL is issued: a link that silently dies early would break the
 * 60-minute promise (docs/operations.md), a clear 503 does not. Temporary credentials whose expiry is not known are used with a
 * warning (see {@link #warnIfLifetimeUnknown}).
 */
public final class LongLivedSigningCredentials implements AwsCredentialsProvider {

    /** Slack for clock skew between us and S3 and for the time between signing and answering. */
    static final Duration MARGIN = Duration.ofMinutes(2);
    /** The least time between two fresh looks at the credential source. */
    static final Duration REFRESH_INTERVAL = Duration.ofMinutes(1);

    private final Supplier<AwsCredentialsProvider> sources;
    private final Duration urlTtl;
    private final Clock clock;
    private volatile AwsCredentialsProvider current;
    private volatile Instant lastRefresh;
    private volatile boolean warned;

    /**
     * @param sources makes a credentials provider; called again when the current one's credentials
     *        would die before a URL signed now
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
            return warnIfLifetimeUnknown(credentials);
        }
        Instant now = clock.instant();
        Instant last = lastRefresh;
        if (last == null || !now.isBefore(last.plus(REFRESH_INTERVAL))) {
            // Asked at most once a minute: a source that keeps handing out short-lived credentials
            // must not be hit (and a provider built) on every request.
            lastRefresh = now;
            AwsCredentialsProvider fresh = sources.get();
            current = fresh;
            closeIfCloseable(provider);
            credentials = fresh.resolveCredentials();
            if (outlivesUrl(credentials)) {
                return warnIfLifetimeUnknown(credentials);
            }
        }
        throw new StorageUnavailableException("The gateway cannot sign a link that stays valid for " + urlTtl.toMinutes()
                + " minutes right now (its signing credentials expire sooner); retry later or ask for"
                + " response_format=b64_json.", null);
    }

    /**
     * Temporary credentials whose expiry the SDK cannot see (a session token from environment variables,
     * as Lambda sets them without SnapStart) are used, since refusing would break every link, but the
     * operator is told once that the lifetime of links is then not guaranteed.
     */
    private AwsCredentials warnIfLifetimeUnknown(AwsCredentials credentials) {
        if (credentials instanceof AwsSessionCredentials && credentials.expirationTime().isEmpty() && !warned) {
            warned = true;
            Log.warnf("Signing links with temporary credentials of unknown expiry: a link may stop working before"
                    + " its %d minutes if they expire first. Configure long-term signing keys (images.signing.*).",
                    urlTtl.toMinutes());
        }
        return credentials;
    }

    private static void closeIfCloseable(AwsCredentialsProvider provider) {
        if (provider instanceof SdkAutoCloseable closeable) {
            closeable.close();
        }
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
