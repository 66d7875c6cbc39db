package dev.imagegateway.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A {@code multipart/form-data} body written byte by byte, as a caller's HTTP library writes one. */
public final class MultipartForm {

    public static final String BOUNDARY = "----gateway-test-7MA4YWxkTrZu0gW";

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final String boundary;

    public MultipartForm() {
        this(BOUNDARY);
    }

    public MultipartForm(String boundary) {
        this.boundary = boundary;
    }

    public MultipartForm text(String name, String value) {
        part("Content-Disposition: form-data; name=\"" + name + "\"\r\n", value.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public MultipartForm file(String name, String filename, String contentType, byte[] content) {
        part("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\nContent-Type: "
                + contentType + "\r\n", content);
        return this;
    }

    /** A PNG part named {@code name}, as curl's {@code -F name=@file.png} sends it. */
    public MultipartForm png(String name, byte[] content) {
        return file(name, name.replace("[]", "") + ".png", "image/png", content);
    }

    private void part(String headers, byte[] content) {
        write("--" + boundary + "\r\n" + headers + "\r\n");
        body.writeBytes(content);
        write("\r\n");
    }

    private void write(String text) {
        body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** The body with its close delimiter. */
    public byte[] bytes() {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.writeBytes(body.toByteArray());
        whole.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return whole.toByteArray();
    }
}
