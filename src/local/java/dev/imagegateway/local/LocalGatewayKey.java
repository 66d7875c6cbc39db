package dev.imagegateway.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The gateway key of local mode: random, made once per checkout and kept in an ignored file.
 *
 * <p>
 * Not a fixed, documented key, because the dev-mode Lambda mock event server listens on all network
 * interfaces: with a key printed in the README, anyone on the same network could use the gateway, and
 * with a real upstream configured, spend the developer's upstream credit.
 */
public record LocalGatewayKey(String value) {

    static final String FILE_NAME = "local-gateway-key";
    private static final String PREFIX = "sk-gateway-local-";

    /** Reads the key from {@code file}, or makes one there (readable by its owner only) if there is none. */
    public static LocalGatewayKey readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return read(file);
            }
            Files.createDirectories(file.getParent());
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String key = PREFIX + HexFormat.of().formatHex(random);
            try {
                Files.writeString(file, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                return read(file); // another start won the race; both must use the same key
            }
            ownerOnly(file);
            return new LocalGatewayKey(key);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the local gateway key " + file, e);
        }
    }

    public static LocalGatewayKey read(Path file) throws IOException {
        String key = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (key.isEmpty()) {
            throw new IOException("The local gateway key file " + file + " is empty; delete it to get a new key.");
        }
        return new LocalGatewayKey(key);
    }

    /** The form {@code images.auth.key-hashes} expects. */
    public String sha256Hex() {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Windows: no POSIX permissions; the file stays in the user's own checkout.
        }
    }

    @Override
    public String toString() {
        return "LocalGatewayKey[…]"; // never print the key by accident; the banner prints it on purpose
    }
}
