package dev.imagegateway.files;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.NotFoundException;
import dev.imagegateway.error.StorageUnavailableException;
import dev.imagegateway.storage.NewestFirstIds;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;

/**
 * Files of the Files, Uploads and Batch APIs in the bucket: {@code files/{owner}/{id}/content} holds the
 * bytes, {@code files/{owner}/{id}/object.json} the {@link FileObject}, written last, so that a file
 * exists only once its content is whole. The owner is part of every key: another caller's lookup
 * cannot even name the object. An expired file is gone to every reader, whether or not the lifecycle
 * rule has deleted it yet.
 */
@ApplicationScoped
public class FileStore {

    public static final String PREFIX = "files/";
    /** Content is written in parts of this size unless the writer is given another (S3's smallest is 5 MiB). */
    static final int PART_BYTES = 8 * 1024 * 1024;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final ObjectMapper mapper;
    private final String bucket;
    private final Clock clock;

    @Inject
    public FileStore(S3Client s3, S3Presigner presigner, ObjectMapper mapper, GatewayConfig config) {
        this(s3, presigner, mapper, config.bucket(), Clock.systemUTC());
    }

    FileStore(S3Client s3, S3Presigner presigner, ObjectMapper mapper, String bucket, Clock clock) {
        this.s3 = s3;
        this.presigner = presigner;
        this.mapper = mapper;
        this.bucket = bucket;
        this.clock = clock;
    }

    /** A new file id, newest first in listings. */
    public String newId() {
        return NewestFirstIds.next(FileObject.ID_PREFIX, clock.instant());
    }

    /**
     * Starts writing a new file; nothing is visible until {@link FileWriter#finish()}.
     *
     * @param expiresAfter null for a file that does not expire
     */
    public FileWriter write(String owner, String id, String purpose, String filename, Duration expiresAfter) {
        return write(owner, id, purpose, filename, expiresAfter, PART_BYTES);
    }

    /**
     * Like {@link #write(String, String, String, String, Duration)}, in parts of at least {@code partBytes}:
     * content larger than 10,000 parts of 8 MiB (a batch output of many b64_json lines) needs larger ones.
     */
    public FileWriter write(String owner, String id, String purpose, String filename, Duration expiresAfter,
            int partBytes) {
        return new FileWriter(owner, id, purpose, filename, expiresAfter, partBytes);
    }

    /** Stores small content in one call. */
    public FileObject create(String owner, String purpose, String filename, byte[] content, Duration expiresAfter) {
        FileWriter writer = write(owner, newId(), purpose, filename, expiresAfter);
        try {
            writer.write(content, 0, content.length);
            return writer.finish();
        } catch (RuntimeException e) {
            writer.abort();
            throw e;
        }
    }

    /** The caller's file, unless it does not exist, is not theirs or has expired. */
    public Optional<FileObject> find(String owner, String id) {
        if (!NewestFirstIds.looksLike(FileObject.ID_PREFIX, id)) {
            return Optional.empty();
        }
        try {
            byte[] json = s3.getObjectAsBytes(get -> get.bucket(bucket).key(objectKey(owner, id))).asByteArray();
            FileObject file = mapper.readValue(json, FileObject.class);
            if (file.expiresAt() != null && file.expiresAt() <= clock.instant().getEpochSecond()) {
                return Optional.empty();
            }
            return Optional.of(file);
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("file object " + id + " in the bucket is not readable", e);
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    /** Like {@link #find} but a 404 with OpenAI's wording when there is no such file. */
    public FileObject require(String owner, String id, String param) {
        return find(owner, id).orElseThrow(() -> new NotFoundException("No such File object: " + id, param));
    }

    /** The caller's files, newest first (expired ones left out). */
    public List<FileObject> list(String owner) {
        List<FileObject> files = new ArrayList<>();
        for (String id : ids(owner)) {
            find(owner, id).ifPresent(files::add);
        }
        return files;
    }

    /**
     * The ids of the caller's files, newest first, expired ones included: keys only, one LIST call per
     * thousand objects, so that a page of a listing reads only the objects it shows.
     */
    public List<String> ids(String owner) {
        List<String> ids = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(PREFIX + owner + "/"))
                    .contents()) {
                if (object.key().endsWith("/object.json")) {
                    ids.add(object.key().substring((PREFIX + owner + "/").length(),
                            object.key().length() - "/object.json".length()));
                }
            }
        } catch (SdkException e) {
            throw unavailable(e);
        }
        return ids;
    }

    /** The whole content, streamed; the caller closes it. */
    public InputStream open(String owner, String id) {
        try {
            return s3.getObject(get -> get.bucket(bucket).key(contentKey(owner, id)));
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    /** {@code length} bytes of the content from {@code offset}: one line of a batch input file. */
    public byte[] read(String owner, String id, long offset, int length) {
        if (length == 0) {
            return new byte[0];
        }
        try {
            return s3.getObjectAsBytes(get -> get.bucket(bucket).key(contentKey(owner, id))
                    .range("bytes=" + offset + "-" + (offset + length - 1))).asByteArray();
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    /** A pre-signed GET of the content, valid for {@code ttl}. */
    public URI contentLink(String owner, String id, Duration ttl) {
        GetObjectPresignRequest request = GetObjectPresignRequest.builder()
                .signatureDuration(ttl)
                .getObjectRequest(get -> get.bucket(bucket).key(contentKey(owner, id)))
                .build();
        try {
            return URI.create(presigner.presignGetObject(request).url().toString());
        } catch (SdkException e) {
            throw new StorageUnavailableException("The gateway could not sign a link to the file's content.", e);
        }
    }

    /** Deletes the file: its object first, so that it is gone at once even if the content delete fails. */
    public void delete(String owner, String id) {
        try {
            s3.deleteObject(delete -> delete.bucket(bucket).key(objectKey(owner, id)));
            s3.deleteObject(delete -> delete.bucket(bucket).key(contentKey(owner, id)));
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    public static String contentKey(String owner, String id) {
        return PREFIX + owner + "/" + id + "/content";
    }

    static String objectKey(String owner, String id) {
        return PREFIX + owner + "/" + id + "/object.json";
    }

    private static StorageUnavailableException unavailable(SdkException e) {
        Log.errorf("File store call failed: %s: %s", e.getClass().getSimpleName(), e.getMessage());
        return new StorageUnavailableException("The file store is unavailable; retry later.", e);
    }

    /**
     * Content written in pieces, held at most one part at a time: content that fits one part is one PUT,
     * larger content a multipart upload. Content of any size (a 200 MB upload, a batch's output) is thus
     * never held whole. A part ends where the {@link #write} that filled it ends, so a writer fed whole
     * lines cuts its parts between lines; {@link #resume} continues an upload another invocation began.
     */
    public final class FileWriter {
        private final String owner;
        private final String id;
        private final String purpose;
        private final String filename;
        private final Duration expiresAfter;
        private final int partBytes;
        private final Instant createdAt = clock.instant();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final List<CompletedPart> parts = new ArrayList<>();
        private String uploadId;
        private boolean resumed;
        private long bytes;

        private FileWriter(String owner, String id, String purpose, String filename, Duration expiresAfter,
                int partBytes) {
            this.owner = owner;
            this.id = id;
            this.purpose = purpose;
            this.filename = filename;
            this.expiresAfter = expiresAfter;
            this.partBytes = partBytes;
        }

        public String id() {
            return id;
        }

        /**
         * Continues multipart upload {@code uploadId}, whose parts 1..n have these ETags and hold
         * {@code uploadedBytes}; what is written next becomes part n+1 (a part written there before is
         * replaced). Only before anything is written. Another writer may share a resumed upload, so
         * {@link #abort()} leaves it alone.
         */
        public void resume(String uploadId, List<String> partETags, long uploadedBytes) {
            if (this.uploadId != null || bytes > 0) {
                throw new IllegalStateException("resume before writing");
            }
            this.uploadId = uploadId;
            this.resumed = true;
            this.bytes = uploadedBytes;
            for (String etag : partETags) {
                parts.add(CompletedPart.builder().partNumber(parts.size() + 1).eTag(etag).build());
            }
        }

        /** The multipart upload's id, or null while the content fits one part. */
        public String uploadId() {
            return uploadId;
        }

        /** The ETags of the parts uploaded so far, in part order. */
        public List<String> partETags() {
            return parts.stream().map(CompletedPart::eTag).toList();
        }

        /** Bytes in the parts uploaded so far (what {@link #resume} continues from). */
        public long uploadedBytes() {
            return bytes - buffer.size();
        }

        public void write(byte[] data, int offset, int length) {
            buffer.write(data, offset, length);
            bytes += length;
            if (buffer.size() >= partBytes) {
                flushPart();
            }
        }

        public void write(byte[] data) {
            write(data, 0, data.length);
        }

        /** Makes the file visible and returns it. */
        public FileObject finish() {
            String key = contentKey(owner, id);
            try {
                if (uploadId == null) {
                    s3.putObject(put -> put.bucket(bucket).key(key), RequestBody.fromBytes(buffer.toByteArray()));
                } else {
                    if (buffer.size() > 0) {
                        flushPart();
                    }
                    s3.completeMultipartUpload(complete -> complete.bucket(bucket).key(key).uploadId(uploadId)
                            .multipartUpload(upload -> upload.parts(parts)));
                }
                Long expiresAt = expiresAfter == null ? null : createdAt.plus(expiresAfter).getEpochSecond();
                FileObject file = new FileObject(id, FileObject.OBJECT, bytes, createdAt.getEpochSecond(), expiresAt,
                        filename, purpose, FileObject.PROCESSED);
                byte[] json = mapper.writeValueAsBytes(file);
                s3.putObject(put -> put.bucket(bucket).key(objectKey(owner, id)).contentType("application/json"),
                        RequestBody.fromBytes(json));
                return file;
            } catch (SdkException e) {
                abort();
                throw unavailable(e);
            } catch (IOException e) {
                abort();
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Drops this writer's multipart upload. Content already under the id is never deleted: a writer may
         * write an id that another one finished (a repeated batch finalization reuses its file ids), and
         * content that lacks its object.json is invisible anyway, until the lifecycle rule removes it. A
         * {@link #resume resumed} upload is left too: the invocation that continues it next needs it.
         */
        public void abort() {
            if (uploadId == null || resumed) {
                return;
            }
            try {
                s3.abortMultipartUpload(a -> a.bucket(bucket).key(contentKey(owner, id)).uploadId(uploadId));
            } catch (SdkException e) {
                Log.warnf("Could not abort the upload of the unfinished file %s: %s", id, e.getClass().getSimpleName());
            }
        }

        private void flushPart() {
            String key = contentKey(owner, id);
            try {
                if (uploadId == null) {
                    uploadId = s3.createMultipartUpload(create -> create.bucket(bucket).key(key)).uploadId();
                }
                int number = parts.size() + 1;
                String etag = s3.uploadPart(part -> part.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                        RequestBody.fromBytes(buffer.toByteArray())).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                buffer.reset();
            } catch (SdkException e) {
                abort();
                throw unavailable(e);
            }
        }
    }
}
