package dev.imagegateway.local;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImageModel;
import com.openai.models.images.ImagesResponse;

/**
 * The README's Java SDK example, compiled with the tests. {@link LocalModeIT} runs it against local
 * mode; {@code ReadmeQuickStartTest} checks that the README shows the lines between the two markers
 * verbatim, so the README cannot show code that does not compile or work.
 */
final class QuickStartSdk {

    private QuickStartSdk() {
    }

    /**
     * @param gateway the gateway's base URL, {@code http://localhost:8080} in local mode
     * @param key a gateway key, in local mode the text of {@code target-local/local-gateway-key}
     */
    static ImagesResponse generate(String gateway, String key) {
        // README example: begin
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(gateway + "/v1")
                .apiKey(key)
                .build();
        ImagesResponse image = client.images().generate(ImageGenerateParams.builder()
                .model(ImageModel.of("gpt-image-2")).prompt("A cute baby sea otter")
                .size(ImageGenerateParams.Size._1024X1024)
                .responseFormat(ImageGenerateParams.ResponseFormat.URL)
                .build());
        System.out.println(image.data().orElseThrow().get(0).url().orElseThrow());
        // README example: end
        return image;
    }
}
