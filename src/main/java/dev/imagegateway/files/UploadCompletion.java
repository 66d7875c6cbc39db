package dev.imagegateway.files;

import dev.imagegateway.error.ErrorCodes;
import dev.imagegateway.error.InvalidRequestException;
import dev.imagegateway.error.StorageUnavailableException;
import dev.imagegateway.files.FileStore.FileWriter;
import dev.imagegateway.files.UploadStore.Stored;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/uploads/{id}/complete}: the parts, in the order the caller lists them, become one file.
 * They are streamed from the bucket into a {@link FileWriter}, which writes S3 multipart parts of 8 MiB:
 * S3 joins parts of at least 5 MiB only, and a request's part is smaller than that, so the parts are
 * rewritten rather than joined in place. Nothing of the file is kept unless the sizes add up to the
 * upload's {@code bytes} and the content matches {@code md5} when one is given; the upload then stays
 * pending, with its parts, for another try.
 */
@ApplicationScoped
public class UploadCompletion {

    private static final Pattern MD5_HEX = Pattern.compile("[0-9a-fA-F]{32}");
    private static final int CHUNK_BYTES = 64 * 1024;

    private final Uploads uploads;
    private final UploadStore store;
    private final FileStore files;

    public UploadCompletion(Uploads uploads, UploadStore store, FileStore files) {
        this.uploads = uploads;
        this.store = store;
        this.files = files;
    }

    /**
     * @param partIds the parts, in the order their bytes make the file
     * @param md5 the hex MD5 of the whole file, or null
     */
    public Upload complete(String owner, String uploadId, List<String> partIds, String md5) {
        Stored stored = uploads.pending(owner, uploadId, "complete");
        Upload upload = stored.record().upload();
        if (md5 != null && !MD5_HEX.matcher(md5).matches()) {
            throw new InvalidRequestException("md5", ErrorCodes.INVALID_VALUE,
                    "Invalid 'md5': expected the file's MD5 checksum as 32 hexadecimal digits.");
        }
        checkParts(owner, upload, partIds);
        FileWriter writer = files.write(owner, files.newId(), upload.purpose(), upload.filename(),
                Duration.ofSeconds(stored.record().fileExpiresAfter()));
        FileObject file;
        try {
            String actual = join(owner, uploadId, partIds, writer);
            if (md5 != null && !actual.equals(md5.toLowerCase(Locale.ROOT))) {
                throw new InvalidRequestException("md5", null, "The md5 checksum given (" + md5 + ") does not match the"
                        + " parts' content (" + actual + "); nothing was kept. Complete again with the right parts.");
            }
            file = writer.finish();
        } catch (RuntimeException e) {
            writer.abort();
            throw e;
        }
        Upload completed = upload.withStatus(Upload.COMPLETED, file);
        if (!store.replace(owner, stored.record().with(completed), stored.etag())) {
            // A cancel or another complete got there first: that one stands, this file goes.
            files.delete(owner, file.id());
            uploads.pending(owner, uploadId, "complete");
            return complete(owner, uploadId, partIds, md5);
        }
        store.deleteParts(owner, uploadId);
        return completed;
    }

    /** Every part listed once, each one of this upload's, their sizes adding up to its {@code bytes}. */
    private void checkParts(String owner, Upload upload, List<String> partIds) {
        Map<String, Long> sizes = store.parts(owner, upload.id());
        Set<String> seen = new HashSet<>();
        long total = 0;
        for (String partId : partIds) {
            if (!seen.add(partId)) {
                throw new InvalidRequestException("part_ids", ErrorCodes.INVALID_VALUE,
                        "Part " + partId + " is listed more than once.");
            }
            Long size = sizes.get(partId);
            if (size == null) {
                throw new InvalidRequestException("part_ids", ErrorCodes.INVALID_VALUE,
                        "No such part of upload " + upload.id() + ": " + partId + ".");
            }
            total += size;
        }
        if (total != upload.bytes()) {
            throw new InvalidRequestException("part_ids", null, "The parts listed add up to " + total
                    + " bytes, but the upload was created for " + upload.bytes() + " bytes; nothing was kept.");
        }
    }

    /** Streams the parts into the writer, in order; returns the hex MD5 of what was written. */
    private String join(String owner, String uploadId, List<String> partIds, FileWriter writer) {
        MessageDigest digest = md5();
        byte[] chunk = new byte[CHUNK_BYTES];
        for (String partId : partIds) {
            try (InputStream part = store.openPart(owner, uploadId, partId)) {
                int read;
                while ((read = part.read(chunk)) > 0) {
                    digest.update(chunk, 0, read);
                    writer.write(chunk, 0, read);
                }
            } catch (IOException e) {
                throw new StorageUnavailableException("The upload store is unavailable; retry later.", e);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }
}
