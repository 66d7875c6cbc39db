package dev.imagegateway.testsupport;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Random;
import javax.imageio.ImageIO;

/** Real, decodable images for the test upstream to return. */
public final class TestImages {

    /** A valid 1x1 lossless WebP (the JDK cannot write WebP). */
    public static final String WEBP_1X1_BASE64 = "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==";

    private TestImages() {
    }

    public static byte[] png(int width, int height) {
        return write(draw(width, height, BufferedImage.TYPE_INT_ARGB), "png");
    }

    /** A PNG without an alpha channel (colour type 2): no mask. */
    public static byte[] opaquePng(int width, int height) {
        return write(draw(width, height, BufferedImage.TYPE_INT_RGB), "png");
    }

    public static byte[] jpeg(int width, int height) {
        return write(draw(width, height, BufferedImage.TYPE_INT_RGB), "jpeg");
    }

    public static byte[] gif(int width, int height) {
        return write(draw(width, height, BufferedImage.TYPE_INT_RGB), "gif");
    }

    /** An SVG document: a format with no signature to check, carrying a script a browser would run. */
    public static byte[] svg() {
        return ("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"><script>alert(1)</script>"
                + "<rect width=\"4\" height=\"4\"/></svg>").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static byte[] webp() {
        return Base64.getDecoder().decode(WEBP_1X1_BASE64);
    }

    /** A PNG signature followed by random bytes: passes a signature check, far too large to return inline. */
    public static byte[] pngSignedNoise(int bytes, long seed) {
        byte[] data = new byte[bytes];
        new Random(seed).nextBytes(data);
        byte[] signature = png(1, 1);
        System.arraycopy(signature, 0, data, 0, 8);
        return data;
    }

    /**
     * A PNG that compresses like a picture rather than a flat test card: diagonal gradients with
     * {@code noisePercent} of the samples nudged by one level, so its size is realistic (1024x1024 at 4%
     * is about 390 KB) and each {@code seed} gives different bytes.
     */
    public static byte[] noisyPng(int width, int height, int noisePercent, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        int shift = (int) (seed & 0xff);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int base = (x / 4 + y / 8 + shift) & 0xff;
                int rgb = 0;
                for (int channel = 0; channel < 3; channel++) {
                    int value = (base + channel * 60) & 0xff;
                    if (random.nextInt(100) < noisePercent) {
                        value = Math.max(0, Math.min(255, value + random.nextInt(3) - 1));
                    }
                    rgb = (rgb << 8) | value;
                }
                image.setRGB(x, y, rgb);
            }
        }
        return write(image, "png");
    }

    public static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Width and height of a PNG or JPEG, read back with ImageIO. */
    public static int[] dimensions(byte[] image) {
        try {
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image));
            if (decoded == null) {
                throw new AssertionError("not a readable image");
            }
            return new int[] { decoded.getWidth(), decoded.getHeight() };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage draw(int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(30, 120, 200));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.ORANGE);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        return image;
    }

    private static byte[] write(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
