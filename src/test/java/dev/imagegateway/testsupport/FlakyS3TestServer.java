package dev.imagegateway.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test S3 server behind a TCP relay on 127.0.0.1 that can be told to drop the next uploads: each
 * dropped {@code PUT} sees its connection closed, as when S3 or the network fails mid-request.
 */
public class FlakyS3TestServer implements QuarkusTestResourceLifecycleManager {

    /** Marks a {@link FlakyS3TestServer} field of a test that wants to control the faults. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectFlakyS3 {
    }

    private final S3TestServer s3 = new S3TestServer();
    private final AtomicInteger uploadsToDrop = new AtomicInteger();
    private final AtomicInteger uploadsDropped = new AtomicInteger();
    private volatile String dropKeysEndingWith;
    private volatile String countedDropsEndingWith;
    private volatile String loseAnswersToKeysEndingWith;
    private volatile String loseNextAnswersToKeysEndingWith;
    private final AtomicInteger answersToLose = new AtomicInteger();
    private final AtomicInteger answersLost = new AtomicInteger();
    private volatile long uploadDelayMillis;
    private final ExecutorService relays = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "flaky-s3-relay");
        thread.setDaemon(true);
        return thread;
    });
    private ServerSocket listener;
    private URI target;

    @Override
    public Map<String, String> start() {
        target = s3.startServer();
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException("relay did not start", e);
        }
        relays.submit(this::accept);
        Map<String, String> config = new HashMap<>();
        config.put("images.s3.endpoint", "http://127.0.0.1:" + listener.getLocalPort());
        config.put("images.s3.path-style", "true");
        config.put("images.s3.region", "us-east-1");
        config.put("images.bucket", S3TestServer.BUCKET);
        return config;
    }

    /** The next {@code count} uploads fail with a dropped connection. */
    public void dropNextUploads(int count) {
        dropNextUploadsOfKeysEndingWith(null, count);
    }

    /** The next {@code count} uploads of keys ending with {@code suffix} (null: any key) fail with a dropped connection. */
    public void dropNextUploadsOfKeysEndingWith(String suffix, int count) {
        dropKeysEndingWith = null;
        countedDropsEndingWith = suffix;
        uploadsToDrop.set(count);
        uploadsDropped.set(0);
    }

    /** Every upload of a key ending with {@code suffix} fails (null: none), e.g. the second image of each request. */
    public void dropUploadsOfKeysEndingWith(String suffix) {
        dropKeysEndingWith = suffix;
        uploadsDropped.set(0);
    }

    /**
     * Every upload of a key ending with {@code suffix} reaches S3 whole and is stored, but S3's answer
     * is lost on the way back: the connection closes instead (null: none).
     */
    public void loseAnswersToUploadsOfKeysEndingWith(String suffix) {
        loseAnswersToKeysEndingWith = suffix;
        answersLost.set(0);
    }

    /**
     * Like {@link #loseAnswersToUploadsOfKeysEndingWith}, for the next {@code count} such uploads only: the
     * SDK's retry of one then gets through, and finds what its first attempt stored.
     */
    public void loseNextAnswersToUploadsOfKeysEndingWith(String suffix, int count) {
        loseNextAnswersToKeysEndingWith = suffix;
        answersToLose.set(count);
        answersLost.set(0);
    }

    public int answersLost() {
        return answersLost.get();
    }

    /** Every upload waits this long before it reaches S3 (0: none), as a slow S3 would. */
    public void delayUploads(long millis) {
        uploadDelayMillis = millis;
    }

    /** A client of the S3 server itself, past the relay. */
    public software.amazon.awssdk.services.s3.S3Client client() {
        return s3.client();
    }

    public int uploadsDropped() {
        return uploadsDropped.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getHost(), target.getPort());
                AtomicBoolean loseAnswer = new AtomicBoolean();
                relays.submit(() -> pump(client, server, true, loseAnswer));
                relays.submit(() -> pump(server, client, false, loseAnswer));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean clientToServer, AtomicBoolean loseAnswer) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (clientToServer && startsWithPut(buffer, read) && (targetsDroppedKey(buffer, read)
                        || (countedDropsEndingWith == null || keyEndsWith(buffer, read, countedDropsEndingWith))
                                && uploadsToDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0)) {
                    uploadsDropped.incrementAndGet();
                    break;
                }
                if (clientToServer && startsWithPut(buffer, read) && uploadDelayMillis > 0) {
                    Thread.sleep(uploadDelayMillis);
                }
                if (clientToServer && startsWithPut(buffer, read)
                        && (keyEndsWith(buffer, read, loseAnswersToKeysEndingWith)
                                || keyEndsWith(buffer, read, loseNextAnswersToKeysEndingWith)
                                        && answersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0)) {
                    loseAnswer.set(true);
                }
                if (!clientToServer && loseAnswer.get() && !isInterimContinue(buffer, read)) {
                    answersLost.incrementAndGet();
                    break;
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException ignored) {
            // one side went away; closing both below is all there is to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close(from);
            close(to);
        }
    }

    private boolean targetsDroppedKey(byte[] buffer, int length) {
        return keyEndsWith(buffer, length, dropKeysEndingWith);
    }

    private static boolean keyEndsWith(byte[] buffer, int length, String suffix) {
        if (suffix == null) {
            return false;
        }
        String head = new String(buffer, 0, Math.min(length, 512), StandardCharsets.US_ASCII);
        String path = head.substring(4, Math.max(4, head.indexOf(' ', 4)));
        int query = path.indexOf('?');
        return (query < 0 ? path : path.substring(0, query)).endsWith(suffix);
    }

    /** S3's "100 Continue" to an {@code Expect: 100-continue} upload: passed on, so that the body follows. */
    private static boolean isInterimContinue(byte[] buffer, int length) {
        String head = new String(buffer, 0, Math.min(length, 16), StandardCharsets.US_ASCII);
        return head.startsWith("HTTP/1.1 100") && length <= 64;
    }

    private static boolean startsWithPut(byte[] buffer, int length) {
        return length >= 4 && new String(buffer, 0, 4, StandardCharsets.US_ASCII).equals("PUT ");
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this,
                new TestInjector.AnnotatedAndMatchesType(InjectFlakyS3.class, FlakyS3TestServer.class));
    }

    @Override
    public void stop() {
        close(listener);
        relays.shutdownNow();
        s3.stop();
    }

    private static void close(ServerSocket socket) {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // already closed
        }
    }
}
