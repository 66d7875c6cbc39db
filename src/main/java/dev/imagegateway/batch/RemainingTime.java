package dev.imagegateway.batch;

/** How much time the current invocation has left; on Lambda, the context's remaining time. */
@FunctionalInterface
public interface RemainingTime {

    long remainingMillis();
}
