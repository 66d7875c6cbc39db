package dev.imagegateway.local;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The README's Batch API example, compiled with the tests: the official Java SDK's
 * {@code files.create}, {@code batches.create}, {@code batches.retrieve} until the batch is done, and
 * {@code files.content}. {@link LocalModeIT} runs it against local mode; {@code ReadmeQuickStartTest}
 * checks that the README shows the lines between the markers verbatim.
 */
final class BatchQuickStartSdk {

    private BatchQuickStartSdk() {
    }

    /**
     * @param gateway the gateway's base URL, {@code http://localhost:8080} in local mode
     * @param key a gateway key, in local mode the text of {@code target-local/local-gateway-key}
     * @return the output file's lines
     */
    static List<String> run(String gateway, String key) throws IOException, InterruptedException {
        // README example: begin
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(gateway + "/v1")
                .apiKey(key)
                .build();
        Path jobFile = Files.createTempFile("otters", ".jsonl");
        Files.writeString(jobFile,
                """
                        {"custom_id": "otter-1", "method": "POST", "url": "/v1/images/generations", "body": {"model": "gpt-image-2", "prompt": "A cute baby sea otter", "size": "1024x1024"}}
                        {"custom_id": "otter-2", "method": "POST", "url": "/v1/images/generations", "body": {"model": "gpt-image-2", "prompt": "Two otters holding hands", "response_format": "url"}}
                        """);
        FileObject input = client.files().create(FileCreateParams.builder()
                .file(jobFile)
                .purpose(FilePurpose.BATCH)
                .build());
        Batch batch = client.batches().create(BatchCreateParams.builder()
                .inputFileId(input.id())
                .endpoint(BatchCreateParams.Endpoint.of("/v1/images/generations"))
                .completionWindow(BatchCreateParams.CompletionWindow._24H)
                .build());
        while (List.of(Batch.Status.VALIDATING, Batch.Status.IN_PROGRESS, Batch.Status.FINALIZING)
                .contains(batch.status())) {
            Thread.sleep(2_000);
            batch = client.batches().retrieve(batch.id());
        }
        System.out.println(batch.status() + ": " + batch.requestCounts().orElseThrow());
        String results;
        try (HttpResponse output = client.files().content(batch.outputFileId().orElseThrow())) {
            results = new String(output.body().readAllBytes(), StandardCharsets.UTF_8);
        }
        System.out.println(results); // a line per request answered 200: {"custom_id": ..., "response": {"body": ...}}
        // README example: end
        return results.lines().toList();
    }
}
