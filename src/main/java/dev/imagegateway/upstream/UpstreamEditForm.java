package dev.imagegateway.upstream;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

/**
 * The {@code multipart/form-data} body of an edit sent to the upstream: the generation fields as text
 * parts, then the images ({@code image} for one, {@code image[]} for each of several, as OpenAI's SDKs
 * send them) and the mask. Each file part is a view into the caller's request body, wrapped without a
 * copy for every attempt, so a retry sends the same bytes again and nothing is held twice.
 *
 * <p>
 * File parts always carry the content type the gateway read from the image's signature and a filename
 * with its extension: OpenAI refuses {@code application/octet-stream} uploads ("unsupported mimetype"),
 * which is what the official Java SDK sends for images given as bytes.
 */
public record UpstreamEditForm(List<Field> fields, List<FilePart> files) {

    /** A text part. */
    public record Field(String name, String value) {
    }

    /** A file part: {@code length} bytes of {@code body} from {@code offset}. */
    public record FilePart(String name, String filename, String contentType, byte[] body, int offset, int length) {
    }

    public UpstreamEditForm {
        fields = List.copyOf(fields);
        files = List.copyOf(files);
    }

    /** The form of an edit: the request's fields as text parts (absent ones left out), then {@code files}. */
    public static UpstreamEditForm of(UpstreamImageRequest request, List<FilePart> files) {
        List<Field> fields = new ArrayList<>();
        add(fields, "model", request.model());
        add(fields, "prompt", request.prompt());
        add(fields, "n", request.n());
        add(fields, "size", request.size());
        add(fields, "quality", request.quality());
        add(fields, "response_format", request.responseFormat());
        add(fields, "output_format", request.outputFormat());
        add(fields, "output_compression", request.outputCompression());
        add(fields, "moderation", request.moderation());
        add(fields, "background", request.background());
        add(fields, "user", request.user());
        for (Map.Entry<String, Object> extra : request.extra().entrySet()) {
            add(fields, extra.getKey(), extra.getValue());
        }
        return new UpstreamEditForm(fields, files);
    }

    /** The same edit asked for as an event stream. */
    UpstreamEditForm streamed(int partialImages) {
        List<Field> streamed = new ArrayList<>(fields);
        streamed.add(new Field("stream", "true"));
        streamed.add(new Field("partial_images", Integer.toString(partialImages)));
        return new UpstreamEditForm(streamed, files);
    }

    /** A fresh client form for one attempt; the file bytes are wrapped, not copied. */
    ClientMultipartForm toClientForm() {
        ClientMultipartForm form = ClientMultipartForm.create().setCharset("UTF-8");
        for (Field field : fields) {
            form.attribute(field.name(), field.value(), null);
        }
        for (FilePart file : files) {
            form.binaryFileUpload(file.name(), file.filename(),
                    Buffer.buffer(Unpooled.wrappedBuffer(file.body(), file.offset(), file.length())), file.contentType());
        }
        return form;
    }

    private static void add(List<Field> fields, String name, Object value) {
        if (value != null) {
            fields.add(new Field(name, String.valueOf(value)));
        }
    }
}
