package dev.imagegateway.files;

import dev.imagegateway.error.InvalidRequestException;
import dev.imagegateway.error.NotFoundException;
import dev.imagegateway.files.UploadStore.Stored;
import dev.imagegateway.storage.NewestFirstIds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The Uploads API's life cycle but its end: an upload is created {@code pending} with the size and name of
 * the file to come, takes parts while pending, and expires an hour after creation, as OpenAI's do. Joining
 * the parts is {@link UploadCompletion}'s; cancelling ends it without a file.
 */
@ApplicationScoped
public class Uploads {

    /** OpenAI's: an upload must be completed within an hour of its creation. */
    static final Duration LIFETIME = Duration.ofHours(1);

    private final UploadStore store;
    private final FileRules rules;
    private final Clock clock;

    @Inject
    public Uploads(UploadStore store, FileRules rules) {
        this(store, rules, Clock.systemUTC());
    }

    Uploads(UploadStore store, FileRules rules, Clock clock) {
        this.store = store;
        this.rules = rules;
        this.clock = clock;
    }

    /** A new pending upload for a file of {@code bytes} bytes, once its fields pass OpenAI's rules. */
    public Upload create(String owner, String filename, String purpose, long bytes, String mimeType,
            Duration fileExpiresAfter) {
        rules.purpose(purpose);
        rules.filename(purpose, filename, "filename");
        rules.uploadBytes(purpose, bytes);
        Instant now = clock.instant();
        Upload upload = new Upload(NewestFirstIds.next(Upload.ID_PREFIX, now), Upload.OBJECT, bytes,
                now.getEpochSecond(), now.plus(LIFETIME).getEpochSecond(), filename, purpose, Upload.PENDING, null);
        store.create(owner, new UploadRecord(upload, mimeType, fileExpiresAfter.toSeconds()));
        return upload;
    }

    /** Keeps one part of a pending upload, from the file its request body was parsed into. */
    public UploadPart addPart(String owner, String uploadId, Path content) {
        pending(owner, uploadId, "add parts to");
        Instant now = clock.instant();
        UploadPart part = new UploadPart(NewestFirstIds.next(UploadPart.ID_PREFIX, now), UploadPart.OBJECT,
                now.getEpochSecond(), uploadId);
        store.putPart(owner, uploadId, part.id(), content);
        return part;
    }

    /** Ends a pending upload without a file; its parts are removed. */
    public Upload cancel(String owner, String uploadId) {
        Stored stored = pending(owner, uploadId, "cancel");
        Upload cancelled = stored.record().upload().withStatus(Upload.CANCELLED, null);
        if (!store.replace(owner, stored.record().with(cancelled), stored.etag())) {
            // A complete or another cancel got there first: answered as if it had been seen.
            pending(owner, uploadId, "cancel");
            return cancel(owner, uploadId);
        }
        store.deleteParts(owner, uploadId);
        return cancelled;
    }

    /**
     * The caller's upload if it is still pending: a 404 when there is none (or it is another key's), a 400
     * naming its status when it is completed, cancelled or expired.
     *
     * @param action what the caller asked for, as the error sentence says it
     */
    Stored pending(String owner, String uploadId, String action) {
        Stored stored = store.find(owner, uploadId)
                .orElseThrow(() -> new NotFoundException("No such Upload object: " + uploadId, "id"));
        Upload upload = stored.record().upload().asOf(clock.instant().getEpochSecond());
        if (!Upload.PENDING.equals(upload.status())) {
            throw new InvalidRequestException("id", null, "Cannot " + action + " upload " + uploadId
                    + ": it is " + upload.status() + (Upload.EXPIRED.equals(upload.status())
                            ? " (an upload must be completed within an hour of its creation)."
                            : "."));
        }
        return stored;
    }
}
