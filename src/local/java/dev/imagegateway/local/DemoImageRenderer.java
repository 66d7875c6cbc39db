package dev.imagegateway.local;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Draws the demo backend's pictures with the JDK alone: a colour field that depends on the prompt, a
 * large "DEMO" mark, the prompt itself, and the model and size, so a person sees at a glance that the
 * round trip worked and that this is no generated image.
 */
final class DemoImageRenderer {

    /**
     * What to draw and how to encode it. {@code jpegQuality} is 0–100; {@code transparent} only for PNG.
     * {@code input} is an edit's first input image, drawn as a thumbnail; null for a generation.
     */
    record Picture(String prompt, String model, int width, int height, int index, int count, String format,
            int jpegQuality, boolean transparent, Input input) {
    }

    /** An edit's first input: its decoded picture, or null with a note when the demo cannot show it. */
    record Input(BufferedImage image, String note) {
    }

    byte[] render(Picture picture) {
        boolean alpha = picture.transparent() && "png".equals(picture.format());
        BufferedImage image = new BufferedImage(picture.width(), picture.height(),
                alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            draw(g, picture, alpha);
        } finally {
            g.dispose();
        }
        return "jpeg".equals(picture.format()) ? jpeg(image, picture.jpegQuality()) : png(image);
    }

    private static void draw(Graphics2D g, Picture picture, boolean transparent) {
        int w = picture.width();
        int h = picture.height();
        float scale = Math.min(w, h) / 1024f;
        if (!transparent) {
            // The prompt picks the colours, so different prompts give visibly different pictures.
            float hue = (picture.prompt().hashCode() & 0xffff) / 65535f;
            g.setPaint(new GradientPaint(0, 0, Color.getHSBColor(hue, 0.55f, 0.95f), w, h,
                    Color.getHSBColor(hue + 0.25f, 0.65f, 0.55f)));
            g.fillRect(0, 0, w, h);
        }
        drawDemoMark(g, w, h);

        Font banner = new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, Math.round(34 * scale)));
        g.setFont(banner);
        FontMetrics bannerMetrics = g.getFontMetrics();
        int bannerHeight = bannerMetrics.getHeight() + Math.round(16 * scale);
        g.setColor(new Color(0, 0, 0, 170));
        g.fillRect(0, 0, w, bannerHeight);
        g.setColor(Color.WHITE);
        String bannerText = "DEMO – placeholder, not a generated image";
        g.drawString(fit(bannerText, bannerMetrics, w - 20), 10 + Math.round(4 * scale),
                Math.round(8 * scale) + bannerMetrics.getAscent());

        Font text = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, Math.round(44 * scale)));
        g.setFont(text);
        FontMetrics metrics = g.getFontMetrics();
        int margin = Math.max(8, Math.round(60 * scale));
        int lineHeight = metrics.getHeight();
        int maxLines = Math.max(1, (h - 3 * bannerHeight - 2 * margin) / lineHeight);
        List<String> lines = wrap("\u201c" + picture.prompt() + "\u201d", metrics, w - 2 * margin, maxLines);
        int top = (h - lines.size() * lineHeight) / 2;
        g.setColor(new Color(255, 255, 255, 200));
        g.fillRoundRect(margin / 2, top - margin / 2, w - margin, lines.size() * lineHeight + margin, margin, margin);
        g.setColor(new Color(20, 20, 30));
        for (int i = 0; i < lines.size(); i++) {
            g.drawString(lines.get(i), margin, top + i * lineHeight + metrics.getAscent());
        }

        if (picture.input() != null) {
            drawThumbnail(g, picture.input(), w, h, bannerHeight, scale);
        }

        g.setFont(banner);
        String footer = picture.model() + " · " + w + "x" + h + " · " + picture.format() + " · image "
                + (picture.index() + 1) + " of " + picture.count();
        g.setColor(new Color(0, 0, 0, 170));
        g.fillRect(0, h - bannerHeight, w, bannerHeight);
        g.setColor(Color.WHITE);
        g.drawString(fit(footer, bannerMetrics, w - 20), 10 + Math.round(4 * scale),
                h - bannerHeight + Math.round(8 * scale) + bannerMetrics.getAscent());
    }

    /** The edit's input in the lower left corner, a quarter of the shorter edge, framed and labelled. */
    private static void drawThumbnail(Graphics2D g, Input input, int w, int h, int bannerHeight, float scale) {
        int box = Math.max(16, Math.min(w, h) / 4);
        int x = Math.max(4, Math.round(16 * scale));
        int y = h - bannerHeight - box - x;
        g.setColor(Color.WHITE);
        g.fillRect(x - 3, y - 3, box + 6, box + 6);
        if (input.image() != null) {
            double ratio = Math.min((double) box / input.image().getWidth(), (double) box / input.image().getHeight());
            int tw = Math.max(1, (int) (input.image().getWidth() * ratio));
            int th = Math.max(1, (int) (input.image().getHeight() * ratio));
            g.drawImage(input.image(), x + (box - tw) / 2, y + (box - th) / 2, tw, th, null);
        } else {
            g.setColor(new Color(60, 60, 60));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(8, box / 10)));
            List<String> lines = wrap(input.note(), g.getFontMetrics(), box - 8, 6);
            for (int i = 0; i < lines.size(); i++) {
                g.drawString(lines.get(i), x + 4, y + 4 + (i + 1) * g.getFontMetrics().getHeight());
            }
        }
        g.setColor(new Color(0, 0, 0, 170));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(8, box / 10)));
        g.drawString("input", x + 4, y + box - 4);
    }

    /** "DEMO" across the picture's diagonal, large and translucent, so no crop hides it. */
    private static void drawDemoMark(Graphics2D g, int w, int h) {
        AffineTransform saved = g.getTransform();
        double diagonal = Math.hypot(w, h);
        g.translate(w / 2.0, h / 2.0);
        g.rotate(-Math.atan2(h, w));
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, 100);
        FontMetrics metrics = g.getFontMetrics(font);
        float size = (float) (100 * diagonal * 0.7 / metrics.stringWidth("DEMO"));
        g.setFont(font.deriveFont(size));
        metrics = g.getFontMetrics();
        int x = -metrics.stringWidth("DEMO") / 2;
        int y = (metrics.getAscent() - metrics.getDescent()) / 2;
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.35f));
        g.setColor(Color.WHITE);
        g.drawString("DEMO", x, y);
        g.setColor(new Color(200, 0, 0));
        g.setStroke(new BasicStroke(Math.max(1f, size / 60)));
        g.draw(g.getFont().createGlyphVector(g.getFontRenderContext(), "DEMO").getOutline(x, y));
        g.setComposite(AlphaComposite.SrcOver);
        g.setTransform(saved);
    }

    private static List<String> wrap(String text, FontMetrics metrics, int width, int maxLines) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (metrics.stringWidth(candidate) <= width || line.isEmpty()) {
                line.setLength(0);
                line.append(candidate);
            } else {
                lines.add(line.toString());
                line.setLength(0);
                line.append(word);
            }
        }
        lines.add(line.toString());
        List<String> fitted = new ArrayList<>(lines.stream().map(l -> fit(l, metrics, width)).toList());
        if (fitted.size() <= maxLines) {
            return fitted;
        }
        List<String> shown = new ArrayList<>(fitted.subList(0, maxLines));
        String last = shown.get(maxLines - 1);
        while (!last.isEmpty() && metrics.stringWidth(last + " …") > width) {
            last = last.substring(0, last.length() - 1);
        }
        shown.set(maxLines - 1, last + " …");
        return shown;
    }

    /** Cuts {@code text} to {@code width}, ending in "…" when cut. */
    private static String fit(String text, FontMetrics metrics, int width) {
        if (metrics.stringWidth(text) <= width) {
            return text;
        }
        String cut = text;
        while (!cut.isEmpty() && metrics.stringWidth(cut + "…") > width) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "…";
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] jpeg(BufferedImage image, int quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(Math.max(0.01f, quality / 100f));
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
