package dev.imagegateway.testsupport;

import dev.imagegateway.lambda.SyntheticInvocation;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

/** What the Lambda runtime passes with each invocation: an id and 60 seconds left, as a 60-second function. */
public final class InvocationContext extends SyntheticInvocation {

    private static final long TIMEOUT_MILLIS = 60_000;

    public InvocationContext() {
        this(TIMEOUT_MILLIS);
    }

    /** An invocation with {@code remainingMillis} left, as late in a function's run. */
    public InvocationContext(long remainingMillis) {
        this(leftUntil(System.currentTimeMillis() + remainingMillis));
    }

    private InvocationContext(IntSupplier remaining) {
        super("image-gateway", 1024, remaining);
    }

    /**
     * An invocation that has {@code firstMillis} left when first asked and {@code thenMillis} at every later
     * look: work that checks its deadline before each step does exactly one step.
     */
    public static InvocationContext runningOutAfterOneLook(int firstMillis, int thenMillis) {
        AtomicBoolean looked = new AtomicBoolean();
        return new InvocationContext(() -> looked.getAndSet(true) ? thenMillis : firstMillis);
    }
}
