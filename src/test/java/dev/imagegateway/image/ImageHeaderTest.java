package dev.imagegateway.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegateway.testsupport.TestImages;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Dimensions and alpha read from headers only, for every input format, and nothing from what is not an image. */
class ImageHeaderTest {

    @Test
    void png_givesItsDimensions_andAlphaByColourType() {
        assertThat(ImageHeader.read(TestImages.png(30, 20))).hasValue(new ImageHeader(ImageType.PNG, 30, 20, true));
        assertThat(ImageHeader.read(TestImages.opaquePng(7, 9))).hasValue(new ImageHeader(ImageType.PNG, 7, 9, false));
    }

    @Test
    void jpeg_givesItsDimensionsFromTheFrameHeader_afterItsOtherSegments() {
        assertThat(ImageHeader.read(TestImages.jpeg(33, 17))).hasValue(new ImageHeader(ImageType.JPEG, 33, 17, false));
    }

    @Test
    void webp_losslessGivesItsDimensions() {
        assertThat(ImageHeader.read(TestImages.webp())).hasValueSatisfying(header -> {
            assertThat(header.type()).isEqualTo(ImageType.WEBP);
            assertThat(header.width()).isEqualTo(1);
            assertThat(header.height()).isEqualTo(1);
        });
    }

    @Test
    void aViewIntoALargerArray_isReadAtItsOffset() {
        byte[] png = TestImages.png(5, 6);
        byte[] body = new byte[png.length + 20];
        System.arraycopy(png, 0, body, 10, png.length);
        assertThat(ImageHeader.read(body, 10, png.length)).hasValue(new ImageHeader(ImageType.PNG, 5, 6, true));
    }

    @Test
    void gifSvgTextAndTruncatedHeaders_areNoInputImage() {
        assertThat(ImageHeader.read(TestImages.gif(4, 4))).isEmpty();
        assertThat(ImageHeader.read(TestImages.svg())).isEmpty();
        assertThat(ImageHeader.read("hello".getBytes())).isEmpty();
        assertThat(ImageHeader.read(new byte[0])).isEmpty();
        byte[] png = TestImages.png(5, 6);
        for (int length = 0; length < 26; length++) {
            assertThat(ImageHeader.read(Arrays.copyOf(png, length))).as("png cut at %d", length).isEmpty();
        }
        byte[] jpeg = TestImages.jpeg(5, 6);
        assertThat(ImageHeader.read(Arrays.copyOf(jpeg, 40))).isEmpty();
    }
}
