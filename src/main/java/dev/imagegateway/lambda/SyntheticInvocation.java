package dev.imagegateway.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.util.UUID;
import java.util.function.IntSupplier;

/**
 * The Lambda context of an invocation that Lambda's runtime did not make: the priming event before a
 * snapshot, the local worker's invocations, the tests'. An id of its own, the function's name and memory,
 * and the time left as {@code remainingMillis} says; the logger writes to standard output, as the runtime's
 * does.
 */
public class SyntheticInvocation implements Context {

    private final String requestId = UUID.randomUUID().toString();
    private final String functionName;
    private final int memoryLimitMb;
    private final IntSupplier remainingMillis;

    public SyntheticInvocation(String functionName, int memoryLimitMb, IntSupplier remainingMillis) {
        this.functionName = functionName;
        this.memoryLimitMb = memoryLimitMb;
        this.remainingMillis = remainingMillis;
    }

    /** An invocation that must end by {@code deadlineMillis} (epoch milliseconds). */
    public static SyntheticInvocation until(String functionName, int memoryLimitMb, long deadlineMillis) {
        return new SyntheticInvocation(functionName, memoryLimitMb, leftUntil(deadlineMillis));
    }

    /** The milliseconds left until {@code deadlineMillis} (epoch milliseconds), never below 0. */
    public static IntSupplier leftUntil(long deadlineMillis) {
        return () -> (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "synthetic";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName;
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
        return remainingMillis.getAsInt();
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryLimitMb;
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
