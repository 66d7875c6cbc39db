package dev.imagegateway.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/**
 * The invocation's context as the Lambda runtime passed it, with room for one answer body that a route
 * hands to the handler instead of writing it through the Lambda HTTP bridge.
 *
 * <p>
 * The bridge moves a response body into the Lambda answer one byte at a time and then decodes it into
 * a {@code String} that is escaped again into the answer's JSON: for a megabyte of base64 that is most
 * of the gateway's time per request. A route that answers with a large JSON body ({@link #hold}) lets
 * the bridge write status and headers as always, over an empty body, and {@link DirectAnswer} writes
 * the held body into the bridge's answer. The bridge passes this same object to the resource (it is
 * what {@code @Context Context} injects), so the hand-over needs neither a header a caller could send
 * nor a shared map.
 */
public final class DirectAnswerContext implements Context {

    private final Context invocation;
    private volatile byte[] body;

    DirectAnswerContext(Context invocation) {
        this.invocation = invocation;
    }

    /**
     * Hands {@code json} to the handler as the answer's body; the route then answers with an empty body.
     * The handler uses it only if the bridge's answer is that empty {@code 200}: an error raised after
     * this call is answered as usual.
     */
    public void hold(byte[] json) {
        body = json;
    }

    /** The held body, or null. */
    byte[] body() {
        return body;
    }

    @Override
    public String getAwsRequestId() {
        return invocation.getAwsRequestId();
    }

    @Override
    public String getLogGroupName() {
        return invocation.getLogGroupName();
    }

    @Override
    public String getLogStreamName() {
        return invocation.getLogStreamName();
    }

    @Override
    public String getFunctionName() {
        return invocation.getFunctionName();
    }

    @Override
    public String getFunctionVersion() {
        return invocation.getFunctionVersion();
    }

    @Override
    public String getInvokedFunctionArn() {
        return invocation.getInvokedFunctionArn();
    }

    @Override
    public CognitoIdentity getIdentity() {
        return invocation.getIdentity();
    }

    @Override
    public ClientContext getClientContext() {
        return invocation.getClientContext();
    }

    @Override
    public int getRemainingTimeInMillis() {
        return invocation.getRemainingTimeInMillis();
    }

    @Override
    public int getMemoryLimitInMB() {
        return invocation.getMemoryLimitInMB();
    }

    @Override
    public LambdaLogger getLogger() {
        return invocation.getLogger();
    }
}
