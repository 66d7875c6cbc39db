package dev.imagegateway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AWS artifact carries the gateway and nothing of local mode: no embedded store (S3Proxy and the
 * Jetty and logging it brings), no demo backend, no local-mode defaults. Reads {@code target/function.zip}
 * as {@code ./mvnw package} left it: the application's classes at its top, the libraries in {@code lib/},
 * and what is inside each of those jars.
 */
class FunctionZipIT {

    private static final Path ZIP = Path.of("target/function.zip");
    /** The artifact was 27 MB when this test was written; far more means something big slipped in. */
    private static final long MAX_BYTES = 40L * 1024 * 1024;
    private static final Pattern LOCAL_ONLY_JAR = Pattern.compile("(?i).*(s3proxy|jetty|jclouds|logback).*");

    private static final List<String> entries = new ArrayList<>();
    private static final List<String> classesAndServices = new ArrayList<>();
    private static final List<String> configFactories = new ArrayList<>();

    @BeforeAll
    static void readTheZip() throws IOException {
        assertThat(ZIP).as("run after ./mvnw package").exists();
        System.out.printf("function.zip: %,d bytes (%.1f MB)%n", Files.size(ZIP), Files.size(ZIP) / 1048576.0);
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            for (ZipEntry entry : zip.stream().toList()) {
                entries.add(entry.getName());
                if (entry.getName().endsWith(".jar")) {
                    try (InputStream jar = zip.getInputStream(entry)) {
                        readJar(entry.getName(), jar);
                    }
                } else {
                    classesAndServices.add(entry.getName());
                }
            }
        }
    }

    private static void readJar(String jarName, InputStream jar) throws IOException {
        ZipInputStream in = new ZipInputStream(jar);
        for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
            classesAndServices.add(jarName + "!/" + entry.getName());
            if (entry.getName().equals("META-INF/services/io.smallrye.config.ConfigSourceFactory")) {
                configFactories.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void zip_isOfLambdaSize() throws IOException {
        assertThat(Files.size(ZIP)).isBetween(1024L * 1024, MAX_BYTES);
    }

    @Test
    void zip_holdsTheGateway() {
        // Makes the checks below meaningful: they look where the gateway's own classes are.
        assertThat(classesAndServices).contains("dev/imagegateway/api/ImagesResource.class");
        assertThat(entries).anyMatch(name -> name.matches("lib/software\\.amazon\\.awssdk\\.s3-[0-9.]+\\.jar"));
    }

    @Test
    void zip_carriesNoEmbeddedStore() {
        assertThat(entries).noneMatch(name -> LOCAL_ONLY_JAR.matcher(name).matches());
        assertThat(classesAndServices).noneMatch(name -> name.contains("org/gaul/"));
    }

    @Test
    void zip_carriesNoDemoBackendNorLocalModeDefaults() {
        assertThat(classesAndServices).noneMatch(name -> name.contains("dev/imagegateway/local/"));
        assertThat(classesAndServices)
                .noneMatch(name -> name.endsWith("META-INF/services/io.smallrye.config.ConfigSourceFactory")
                        && !name.contains("!/"));
        assertThat(configFactories).noneMatch(services -> services.contains("dev.imagegateway.local"));
    }
}
