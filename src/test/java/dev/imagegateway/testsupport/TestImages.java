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

    public static byte[] jpeg(int width, int height) {
        return write(draw(width, height, BufferedImage.TYPE_INT_RGB), "jpeg");
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
            return new int[] {decoded.getWidth(), decoded.getHeight()};
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
