package dev.imagegateway.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The JDK's HTTP server on 127.0.0.1 and a free port, with Nagle's algorithm off, for the stand-ins the
 * tests and benchmarks run (the Lambda Runtime API, API Gateway, the instant upstream).
 *
 * <p>
 * The JDK server writes an answer's headers and its body as two writes and leaves Nagle's algorithm on
 * unless {@code sun.net.httpserver.nodelay} is set: a small body then waits for the client to acknowledge
 * the headers, which a client's delayed acknowledgement holds back for 40 ms on Linux. A real Runtime API,
 * API Gateway or image backend does not do that, and a stand-in that did would add 40 ms to what is measured.
 * The property is read once, when the JDK server's configuration class loads; the pom sets it for every
 * test JVM as well, so that it holds even when something else starts a JDK server first.
 */
public final class LoopbackHttpServer {

    static final String NO_DELAY = "sun.net.httpserver.nodelay";

    private LoopbackHttpServer() {
    }

    /** A new, not yet started server; the caller adds its contexts and executor. */
    public static HttpServer create() throws IOException {
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
        return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    }
}
