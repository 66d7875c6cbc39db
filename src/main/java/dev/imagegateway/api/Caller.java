package dev.imagegateway.api;

/**
 * Who is calling, as far as what they own goes: {@code owner} is derived from the hash of their gateway
 * key (never the key), 32 lowercase hex characters, and names every file and batch they create. Another
 * key has another owner and never sees those.
 */
public record Caller(String owner) {
}
