package dev.imagegateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's quick start as data, so the local-mode test runs the commands a newcomer copies, not a
 * version of them that could drift apart from the README.
 */
public final class Readme {

    private static final Pattern CODE_BLOCK = Pattern.compile("```(\\w*)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CURL_URL = Pattern.compile("curl\\s+(?:-s\\s+)?(http://\\S+)");
    private static final Pattern CURL_BODY = Pattern.compile("-d\\s+'([^']*)'");
    private static final Pattern CAT_KEY_FILE = Pattern.compile("Bearer \\$\\(cat ([^)]+)\\)");
    private static final Pattern JAVA_KEY_FILE = Pattern.compile("Path\\.of\\(\"([^\"]+)\"\\)");

    /** The quick start's {@code curl}: where it goes, the key file it reads, and its JSON body. */
    public record Curl(URI url, String keyFile, String body) {
    }

    private final String quickStart;

    private Readme(String quickStart) {
        this.quickStart = quickStart;
    }

    public static Readme read(Path file) {
        try {
            String text = Files.readString(file);
            int start = text.indexOf("## Quick start");
            if (start < 0) {
                throw new AssertionError("README has no '## Quick start' section");
            }
            int end = text.indexOf("\n## ", start + 3);
            return new Readme(text.substring(start, end < 0 ? text.length() : end));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The run command's words, {@code ./mvnw} first, without its comment. */
    public List<String> runCommand() {
        return Arrays.asList(commandLine("./mvnw quarkus:dev").split("\\s+"));
    }

    /** The test command's words. */
    public List<String> testCommand() {
        return Arrays.asList(commandLine("./mvnw -B verify").split("\\s+"));
    }

    public Curl curl() {
        String block = block("bash", "curl ").replace("\\\n", " ");
        return new Curl(URI.create(find(CURL_URL, block, "curl URL")), find(CAT_KEY_FILE, block, "curl key file"),
                find(CURL_BODY, block, "curl -d body"));
    }

    /** The key file the Java SDK snippet reads. */
    public String javaSnippetKeyFile() {
        return find(JAVA_KEY_FILE, block("java", "OpenAIOkHttpClient"), "Java snippet key file");
    }

    /** The Java SDK snippet itself. */
    public String javaSnippet() {
        return block("java", "OpenAIOkHttpClient");
    }

    private String commandLine(String prefix) {
        for (String line : block("bash", prefix).split("\\n")) {
            if (line.startsWith(prefix)) {
                int comment = line.indexOf(" #");
                return (comment < 0 ? line : line.substring(0, comment)).strip();
            }
        }
        throw new AssertionError("no line starting with " + prefix);
    }

    private String block(String language, String containing) {
        Matcher matcher = CODE_BLOCK.matcher(quickStart);
        List<String> found = new ArrayList<>();
        while (matcher.find()) {
            if (matcher.group(1).equals(language) && matcher.group(2).contains(containing)) {
                found.add(matcher.group(2));
            }
        }
        if (found.isEmpty()) {
            throw new AssertionError("the quick start has no " + language + " block with '" + containing + "'");
        }
        return found.get(0);
    }

    private static String find(Pattern pattern, String text, String what) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new AssertionError("the quick start's " + what + " is missing");
        }
        return matcher.group(1);
    }
}
