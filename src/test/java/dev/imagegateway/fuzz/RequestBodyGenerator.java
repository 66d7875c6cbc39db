package dev.imagegateway.fuzz;

import dev.imagegateway.catalog.ModelCatalog;
import dev.imagegateway.catalog.ModelEntry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Seeded generator of request bodies, valid and hostile: random JSON, wrong types, huge numbers, deep
 * nesting, long strings, invalid UTF-8, duplicate keys, unicode edge cases, and truncations and byte
 * flips of valid bodies. The same seed always yields the same bodies, so any failure can be replayed.
 * Model names, field names and values come from the catalog too, so a new entry is fuzzed the day it
 * is added.
 */
final class RequestBodyGenerator {

    private static final List<String> API_FIELDS = List.of("prompt", "model", "n", "quality", "response_format",
            "output_format", "output_compression", "stream", "partial_images", "size", "moderation", "background",
            "style", "user");
    /** Names no catalog serves: unknown models, the empty name, a wrong case. */
    private static final List<String> UNKNOWN_MODELS = List.of("dall-e-4", "gpt-image-9", "", "GPT-IMAGE-1",
            "gpt-image-2-latest");
    private static final List<String> BASE_WORDS = List.of("auto", "standard", "hd", "low", "medium", "high", "url",
            "b64_json", "png", "jpeg", "webp", "gif", "svg", "transparent", "opaque", "vivid", "natural", "1024x1024",
            "256x256", "1536x1024", "1792x1024", "1536x864", "3840x2160", "1024x640", "1024x624", "0x0", "-16x16",
            "1024X1024", "nan");
    private static final List<String> ODD_STRINGS = List.of("\\u0000", "\\ud800", "\\udfff\\ud800", "\ufeff",
            "\u200b\u200d", "\u202eotter", "\uD83E\uDDA6\uD83E\uDDA6", "\\\"", "\\\\", "\\n\\r\\t", "𝕆𝕥𝕥𝕖𝕣",
            "<script>alert(1)</script>", "' OR 1=1 --", "${jndi:ldap://127.0.0.1/x}", "%s%s%n");
    private static final List<String> NUMBERS = List.of("0", "-1", "1", "3", "10", "11", "100", "101", "1.0", "1.5",
            "-0", "1e3", "1E400", "99999999999999999999999", "-99999999999999999999999", "2147483648", "NaN",
            "Infinity", "0x10", "01");

    private final Random random;
    private final List<String> fields;
    private final List<String> models;
    private final List<String> words;

    RequestBodyGenerator(long seed, ModelCatalog catalog) {
        this.random = new Random(seed);
        Set<String> fieldNames = new LinkedHashSet<>(API_FIELDS);
        Set<String> modelNames = new LinkedHashSet<>();
        Set<String> wordSet = new LinkedHashSet<>(BASE_WORDS);
        for (ModelEntry entry : catalog.entries()) {
            modelNames.add(entry.id());
            modelNames.addAll(entry.snapshots());
            entry.rules().fields().forEach((name, rule) -> {
                fieldNames.add(name);
                rule.values().ifPresent(wordSet::addAll);
                rule.autoSize().ifPresent(wordSet::add);
            });
        }
        modelNames.addAll(UNKNOWN_MODELS);
        this.fields = List.copyOf(fieldNames);
        this.models = List.copyOf(modelNames);
        this.words = List.copyOf(wordSet);
    }

    byte[] next() {
        return switch (random.nextInt(10)) {
            case 0 -> bytes(randomJson(0));
            case 1 -> bytes(deepNesting());
            case 2 -> invalidUtf8(bytes(plausibleBody()));
            case 3 -> truncate(bytes(plausibleBody()));
            case 4 -> flipBytes(bytes(plausibleBody()));
            case 5 -> bytes(duplicateKeys());
            default -> bytes(plausibleBody());
        };
    }

    /** An object of mostly known fields with values that are often right and often not. */
    String plausibleBody() {
        StringBuilder body = new StringBuilder("{");
        int count = random.nextInt(6);
        boolean withPrompt = random.nextInt(10) > 0;
        if (withPrompt) {
            body.append("\"prompt\":").append(promptValue());
        }
        for (int i = 0; i < count; i++) {
            if (body.length() > 1) {
                body.append(',');
            }
            String name = random.nextInt(12) == 0 ? "x_" + random.nextInt(1000) : fields.get(random.nextInt(fields.size()));
            body.append('"').append(name).append("\":").append(valueFor(name));
        }
        return body.append('}').toString();
    }

    private String promptValue() {
        return switch (random.nextInt(8)) {
            case 0 -> "\"" + "a".repeat(random.nextInt(40_000)) + "\"";
            case 1 -> "\"" + ODD_STRINGS.get(random.nextInt(ODD_STRINGS.size())) + "\"";
            case 2 -> randomScalar();
            case 3 -> "\"   \"";
            default -> "\"a cute baby sea otter " + random.nextInt(1000) + "\"";
        };
    }

    private String valueFor(String field) {
        if (random.nextInt(4) == 0) {
            return randomJson(2);
        }
        return switch (field) {
            case "model" -> "\"" + models.get(random.nextInt(models.size())) + "\"";
            case "n", "output_compression", "partial_images" -> NUMBERS.get(random.nextInt(NUMBERS.size()));
            case "stream" -> random.nextBoolean() ? "false" : "true";
            case "size" -> random.nextBoolean() ? "\"" + words.get(random.nextInt(words.size())) + "\""
                    : "\"" + 16 * random.nextInt(300) + "x" + 16 * random.nextInt(300) + "\"";
            default -> "\"" + words.get(random.nextInt(words.size())) + "\"";
        };
    }

    private String randomJson(int depth) {
        int kind = random.nextInt(depth > 3 ? 5 : 7);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 -> NUMBERS.get(random.nextInt(NUMBERS.size()));
            case 3 -> "\"" + ODD_STRINGS.get(random.nextInt(ODD_STRINGS.size())) + "\"";
            case 4 -> "\"" + words.get(random.nextInt(words.size())) + "\"";
            case 5 -> {
                StringBuilder array = new StringBuilder("[");
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    array.append(i > 0 ? "," : "").append(randomJson(depth + 1));
                }
                yield array.append(']').toString();
            }
            default -> {
                StringBuilder object = new StringBuilder("{");
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    String name = random.nextBoolean() ? fields.get(random.nextInt(fields.size())) : "k" + i;
                    object.append(i > 0 ? "," : "").append('"').append(name).append("\":").append(randomJson(depth + 1));
                }
                yield object.append('}').toString();
            }
        };
    }

    private String randomScalar() {
        return random.nextBoolean() ? NUMBERS.get(random.nextInt(NUMBERS.size())) : "[\"a\"]";
    }

    private String deepNesting() {
        int depth = 500 + random.nextInt(3000);
        String open = random.nextBoolean() ? "[" : "{\"prompt\":";
        String close = open.equals("[") ? "]" : "}";
        return "{\"prompt\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}";
    }

    private String duplicateKeys() {
        String field = fields.get(random.nextInt(fields.size()));
        return "{\"prompt\":\"otter\",\"" + field + "\":" + valueFor(field) + ",\"" + field + "\":" + valueFor(field) + "}";
    }

    private byte[] invalidUtf8(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = body.length == 0 ? 0 : random.nextInt(body.length);
        out.write(body, 0, at);
        byte[][] bad = { { (byte) 0xC3, (byte) 0x28 }, { (byte) 0xFF }, { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
                { (byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80 }, { (byte) 0xC0, (byte) 0xAF } };
        byte[] chosen = bad[random.nextInt(bad.length)];
        out.write(chosen, 0, chosen.length);
        out.write(body, at, body.length - at);
        return out.toByteArray();
    }

    private byte[] truncate(byte[] body) {
        return java.util.Arrays.copyOf(body, body.length == 0 ? 0 : random.nextInt(body.length));
    }

    private byte[] flipBytes(byte[] body) {
        byte[] copy = body.clone();
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips && copy.length > 0; i++) {
            copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
