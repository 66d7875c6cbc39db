package dev.imagegateway.s3proxy;

import java.io.InputStream;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Makes a PUT with {@code If-Match} a compare-and-swap, as it is on S3. S3Proxy's in-memory store cannot
 * compare and swap, so S3Proxy checks the ETag with a HEAD and then writes: two writers holding the same
 * ETag both pass and both write, which S3 never allows. The batch engine's record and checkpoint are
 * updated exactly that way, so two concurrent finalizers both "won" and made two output files. The check
 * is repeated under a lock per key, around the write; {@code If-None-Match: *} the store already resolves
 * atomically. Used by the tests' S3 server and by local mode's store (both S3Proxy, one process): the only
 * source folder both build ({@code src/s3proxy/java}), since S3Proxy is never on the function's classpath.
 */
public final class AtomicIfMatchBlobStore extends ForwardingBlobStore {

    /** Locks by key's hash: bounded however many keys are written, and two keys rarely share one. */
    private final Object[] locks = new Object[64];

    public AtomicIfMatchBlobStore(BlobStore delegate) {
        super(delegate);
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream payload) {
        String ifMatch = request.ifMatch();
        if (ifMatch == null) {
            return super.putBlob(request, payload);
        }
        synchronized (locks[Math.floorMod((request.bucket() + "/" + request.key()).hashCode(), locks.length)]) {
            HeadObjectResponse current;
            try {
                current = delegate().blobMetadata(HeadObjectRequest.builder().bucket(request.bucket())
                        .key(request.key()).build());
            } catch (NoSuchKeyException e) {
                current = null;
            }
            if (current == null) {
                throw new S3ProxyException(S3ErrorCode.NO_SUCH_KEY);
            }
            if (!ifMatch.equals("*") && !unquoted(ifMatch).equals(unquoted(current.eTag()))) {
                throw new S3ProxyException(S3ErrorCode.PRECONDITION_FAILED);
            }
            return super.putBlob(request, payload);
        }
    }

    private static String unquoted(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }
}
