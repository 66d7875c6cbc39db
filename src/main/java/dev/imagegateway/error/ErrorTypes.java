package dev.imagegateway.error;

/** The OpenAI error types the gateway itself answers with; upstream types are passed on as given. */
public final class ErrorTypes {

    /** The caller's request is wrong: change it. */
    public static final String INVALID_REQUEST = "invalid_request_error";
    /** OpenAI's type for what a GPT image model refuses to draw. */
    public static final String IMAGE_GENERATION_USER_ERROR = "image_generation_user_error";
    /** Something on the gateway's side of the wire failed. */
    public static final String SERVER_ERROR = "server_error";

    private ErrorTypes() {
    }
}
