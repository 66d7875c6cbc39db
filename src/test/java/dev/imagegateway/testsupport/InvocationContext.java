package dev.imagegateway.testsupport;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.util.UUID;

/** What the Lambda runtime passes with each invocation: an id and 60 seconds left, as a 60-second function. */
public final class InvocationContext implements Context {

    private static final long TIMEOUT_MILLIS = 60_000;

    private final String requestId = UUID.randomUUID().toString();
    private final java.util.function.IntSupplier remaining;

    public InvocationContext() {
        this(TIMEOUT_MILLIS);
    }

    /** An invocation with {@code remainingMillis} left, as late in a function's run. */
    public InvocationContext(long remainingMillis) {
        long deadline = System.currentTimeMillis() + remainingMillis;
        this.remaining = () -> (int) Math.max(0, deadline - System.currentTimeMillis());
    }

    private InvocationContext(java.util.function.IntSupplier remaining) {
        this.remaining = remaining;
    }

    /**
     * An invocation that has {@code firstMillis} left when first asked and {@code thenMillis} at every later
     * look: work that checks its deadline before each step does exactly one step.
     */
    public static InvocationContext runningOutAfterOneLook(int firstMillis, int thenMillis) {
        java.util.concurrent.atomic.AtomicBoolean looked = new java.util.concurrent.atomic.AtomicBoolean();
        return new InvocationContext(() -> looked.getAndSet(true) ? thenMillis : firstMillis);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/image-gateway";
    }

    @Override
    public String getLogStreamName() {
        return "benchmark";
    }

    @Override
    public String getFunctionName() {
        return "image-gateway";
    }

    @Override
    public String getFunctionVersion() {
        return "1";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:123456789012:function:image-gateway:live";
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return remaining.getAsInt();
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.print(message);
            }

            @Override
            public void log(byte[] message) {
                System.out.write(message, 0, message.length);
            }
        };
    }
}
