package dev.imagegateway.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and {@code docs/} stand on their own in a clone: every relative link leads to a file of
 * the repository (and every {@code #anchor} to a heading of it), the README stays a short door into
 * {@code docs/}, and nothing points outside the clone or at internal issue numbers.
 */
class DocsLinksTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().normalize();
    private static final int README_MAX_BYTES = 10 * 1024;
    /** A markdown link or image: {@code [text](target)} or {@code [text](target "title")}. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`\n]*`");
    /** "issue 7", "Issue #7", or a bare "#7" that is not another project's {@code owner/repo#7}. */
    private static final Pattern ISSUE_NUMBER = Pattern.compile("\\b[Ii]ssues? #?\\d|(?<![\\w/.-])#\\d+\\b");
    /** Written in two parts so that this file does not mention it itself. */
    private static final String OUTSIDE_THE_CLONE = ".." + "/shared";

    @Test
    void everyRelativeLink_resolvesToAFileOfTheRepository_andItsAnchorToAHeading() {
        List<String> broken = new ArrayList<>();
        for (Path doc : docs()) {
            for (String target : links(read(doc))) {
                if (SCHEME.matcher(target).find()) {
                    continue; // https:, mailto: — outside the repository by design
                }
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path file = path.isEmpty() ? doc : doc.getParent().resolve(path).normalize();
                if (!file.startsWith(ROOT) || !Files.exists(file)) {
                    broken.add(ROOT.relativize(doc) + ": " + target + " (no such file in the repository)");
                } else if (anchor != null && file.toString().endsWith(".md") && !anchors(read(file)).contains(anchor)) {
                    broken.add(ROOT.relativize(doc) + ": " + target + " (no heading #" + anchor + " in "
                            + ROOT.relativize(file) + ")");
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void readme_isUnder10KB() throws IOException {
        assertThat(Files.size(ROOT.resolve("README.md"))).isLessThan(README_MAX_BYTES);
    }

    @Test
    void readme_linksEveryPageOfDocs() {
        Set<String> linked = new HashSet<>(links(read(ROOT.resolve("README.md"))));
        for (Path doc : docs()) {
            if (!doc.getFileName().toString().equals("README.md")) {
                assertThat(linked).as("the README's table of contents").contains("docs/" + doc.getFileName());
            }
        }
    }

    @Test
    void noDoc_refersOutsideTheCloneOrToIssueNumbers() {
        List<String> found = new ArrayList<>();
        for (Path doc : docs()) {
            List<String> lines = read(doc).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.contains(OUTSIDE_THE_CLONE) || ISSUE_NUMBER.matcher(line).find()) {
                    found.add(ROOT.relativize(doc) + ":" + (i + 1) + ": " + line.strip());
                }
            }
        }
        assertThat(found).isEmpty();
    }

    @Test
    void nothingInTheRepository_refersToTheSharedFolderOutsideTheClone() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.filter(Files::isRegularFile)
                    .filter(file -> !isBuildOutput(ROOT.relativize(file)))
                    .filter(DocsLinksTest::isText)
                    .forEach(file -> {
                        if (read(file).contains(OUTSIDE_THE_CLONE)) {
                            found.add(ROOT.relativize(file).toString());
                        }
                    });
        }
        assertThat(found).isEmpty();
    }

    /** README.md and every page of docs/. */
    private static List<Path> docs() {
        List<Path> docs = new ArrayList<>();
        docs.add(ROOT.resolve("README.md"));
        try (Stream<Path> pages = Files.list(ROOT.resolve("docs"))) {
            pages.filter(page -> page.toString().endsWith(".md")).sorted().forEach(docs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** The link targets of a markdown text, outside code blocks and code spans. */
    static List<String> links(String markdown) {
        List<String> targets = new ArrayList<>();
        Matcher matcher = LINK.matcher(INLINE_CODE.matcher(withoutCodeBlocks(markdown)).replaceAll("``"));
        while (matcher.find()) {
            targets.add(matcher.group(1));
        }
        return targets;
    }

    /** The anchors GitHub gives a markdown text's headings. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        for (String line : withoutCodeBlocks(markdown).lines().toList()) {
            if (line.startsWith("#")) {
                anchors.add(slug(line.replaceFirst("^#+\\s*", "")));
            }
        }
        return anchors;
    }

    /** GitHub's heading anchor: lower case, punctuation but '-' and '_' dropped, spaces as '-'. */
    static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private static String withoutCodeBlocks(String markdown) {
        StringBuilder kept = new StringBuilder();
        boolean inBlock = false;
        for (String line : markdown.lines().toList()) {
            if (line.stripLeading().startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            if (!inBlock) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }

    private static boolean isBuildOutput(Path relative) {
        String first = relative.getName(0).toString();
        return first.startsWith("target") || first.equals(".git") || first.equals(".mvn");
    }

    private static boolean isText(Path file) {
        String name = file.getFileName().toString();
        return Stream.of(".md", ".java", ".yaml", ".yml", ".xml", ".properties", ".json", ".jsonl", ".sh", ".txt")
                .anyMatch(name::endsWith) || file.getParent().endsWith(".ci");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
