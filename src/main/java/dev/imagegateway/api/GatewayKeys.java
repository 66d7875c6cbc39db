package dev.imagegateway.api;

import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.AuthenticationException;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Lets in callers whose bearer key hashes to one of {@code images.auth.key-hashes}. Only hashes are
 * configured, so a leaked configuration leaks no key; every comparison runs in constant time and over
 * all hashes, so timing tells nothing about how close a guess was.
 */
@ApplicationScoped
@Startup // a malformed hash list should stop the function at start-up, not at its first request
public class GatewayKeys {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final String BEARER = "bearer ";
    private static final int OWNER_CHARS = 32;

    private final List<byte[]> hashes;

    public GatewayKeys(GatewayConfig config) {
        List<String> configured = config.auth().keyHashes();
        for (int i = 0; i < configured.size(); i++) {
            if (!SHA256_HEX.matcher(configured.get(i)).matches()) {
                throw new IllegalStateException("images.auth.key-hashes: entry " + (i + 1)
                        + " is not a lowercase hex SHA-256 hash (64 characters 0-9a-f).");
            }
        }
        this.hashes = configured.stream().map(HexFormat.of()::parseHex).toList();
    }

    /** The caller of a known key; throws {@link AuthenticationException} otherwise. */
    public Caller authenticate(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw AuthenticationException.missingKey("You didn't provide an API key. You need to provide your API key in an"
                    + " Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
        }
        String header = authorizationHeader.strip();
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw AuthenticationException.missingKey("You didn't provide an API key. The Authorization header must"
                    + " use Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
        }
        byte[] presented = sha256(header.substring(BEARER.length()).strip());
        boolean known = false;
        for (byte[] hash : hashes) {
            known |= MessageDigest.isEqual(hash, presented);
        }
        if (!known) {
            throw AuthenticationException.unknownKey("Incorrect API key provided. Use a gateway key (sk-gateway-...).");
        }
        // A hash of the key's hash: the bucket's keys then name no configured hash either.
        return new Caller(HexFormat.of().formatHex(sha256(HexFormat.of().formatHex(presented))).substring(0, OWNER_CHARS));
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
