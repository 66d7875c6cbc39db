package dev.imagegateway.upstream;

/**
 * Receives each image the moment its base64 has been decoded off the upstream's answer, so that it can
 * be checked and uploaded while the next one is still being read.
 */
@FunctionalInterface
public interface DecodedImageSink {

    /** The image at {@code index} (0-based, in answer order), decoded. */
    void accept(int index, byte[] image);
}
