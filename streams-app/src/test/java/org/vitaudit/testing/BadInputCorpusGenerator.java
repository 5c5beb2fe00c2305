package org.vitaudit.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.vitaudit.image.ImageDecoderTest;
import org.vitaudit.schemas.ImageEvent;
import org.vitaudit.serde.AvroSingleObjectSerde;

/**
 * Writes the bad-input corpus ({@code src/test/resources/bad-input}): one file per kind of input
 * and {@code manifest.jsonl}, a line per kind with its expected outcome. Deterministic (fixed
 * seeds, JDK encoders); run it again after changing a kind:
 *
 * <pre>{@code scripts/make-bad-input-corpus.sh}</pre>
 *
 * <p>Manifest fields: {@code kind} (also the event id and key), {@code file} (the value's bytes;
 * absent where the test makes the value), {@code raw} and {@code avro} (the expected outcome with
 * {@code input.format=raw}, and with the bytes inline in an {@code ImageEvent}, or the file itself
 * as the Avro value where {@code value} is {@code "avro"}: {@code audited} or a DLQ reason code;
 * absent where the kind does not apply), {@code uri} (an {@code ImageEvent} fetching from it:
 * {@code {http}} is the test's HTTP server, {@code {allowed}} the allowed folder, {@code {outside}}
 * a folder outside it), {@code key} (null for a null key), {@code value} ({@code "null"}: a
 * tombstone; {@code "over-max-bytes"}: an image larger than the test's {@code image.max.bytes}),
 * {@code headers} (values as text, or {@code hex:} bytes), {@code why}.
 */
public final class BadInputCorpusGenerator {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final List<String> manifest = new ArrayList<>();

  private BadInputCorpusGenerator(Path dir) {
    this.dir = dir;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "streams-app/src/test/resources/bad-input");
    Files.createDirectories(dir);
    new BadInputCorpusGenerator(dir).writeAll();
  }

  private void writeAll() throws Exception {
    byte[] good = ImageDecoderTest.encode(ImageDecoderTest.noise(32, 32, 1), "png");
    byte[] jpeg = ImageDecoderTest.encode(ImageDecoderTest.noise(64, 48, 2), "jpeg");
    byte[] png = ImageDecoderTest.encode(ImageDecoderTest.noise(64, 48, 3), "png");
    byte[] gif = ImageDecoderTest.encode(ImageDecoderTest.noise(64, 48, 4), "gif");
    image("good-png", "good.png", good, "audited", "a plain RGB PNG: the control");
    image("good-jpeg", "good.jpg", jpeg, "audited", "a plain baseline JPEG: the control");
    image("empty", "empty.bin", new byte[0], "empty_image", "zero bytes");
    image("truncated-jpeg", "truncated.jpg", half(jpeg), "corrupt_image", "the first half");
    image("truncated-png", "truncated.png", half(png), "corrupt_image", "the first half");
    image("truncated-gif", "truncated.gif", half(gif), "corrupt_image", "the first half");
    byte[] noise = new byte[2000];
    new Random(5).nextBytes(noise);
    image("random-bytes", "random.bin", noise, "unsupported_format", "2000 random bytes");
    image(
        "png-huge-header",
        "huge-header.png",
        ImageDecoderTest.pngHeader(10_000, 10_000),
        "too_many_pixels",
        "an IHDR of 10000x10000 and no pixels: refused before decoding");
    image(
        "jpeg-huge-header",
        "huge-header.jpg",
        hugeJpegHeader(jpeg),
        "too_many_pixels",
        "a JPEG whose SOF0 says 65500x65500: refused before decoding");
    image(
        "gif-many-frames",
        "many-frames.gif",
        manyFrameGif(3000),
        "audited",
        "3000 frames of 1x1: only the first is read");
    image(
        "png-extreme-aspect",
        "extreme-aspect.png",
        png(20_000, 1, 8, 2, null, rows(20_000, 1, 3, 13)),
        "audited",
        "20000x1: resizing its shorter side whole (ImageNet's 256) would need gigabytes");
    image("png-16bit-rgb", "rgb16.png", png16Rgb(), "audited", "16 bits per sample, RGB");
    image("png-16bit-gray", "gray16.png", png16Gray(), "audited", "16 bits per sample, grey");
    image("png-palette", "palette.png", pngPalette(), "audited", "indexed colour (PLTE)");
    image("png-gray-alpha", "gray-alpha.png", pngGrayAlpha(), "audited", "grey with alpha");
    image("jpeg-cmyk", "cmyk.jpg", cmykJpeg(), "audited", "four components (CMYK)");
    image("jpeg-progressive", "progressive.jpg", progressiveJpeg(), "audited", "progressive scans");
    image(
        "jpeg-exif-rotated",
        "exif-rotated.jpg",
        exifRotated(jpeg),
        "audited",
        "EXIF orientation 6 (rotate 90 clockwise): audited as stored, orientation ignored");
    image("webp", "image.webp", webp(), "unsupported_format", "a WebP (VP8L) file header");
    image(
        "tiff",
        "image.tiff",
        ImageDecoderTest.encode(ImageDecoderTest.noise(16, 16, 6), "tiff"),
        "unsupported_format",
        "a valid TIFF: ImageIO reads TIFF, the decoder accepts only JPEG, PNG, BMP, GIF");
    image("heic", "image.heic", heic(), "unsupported_format", "a HEIC (ISO BMFF ftyp) header");
    image("svg", "image.svg", svg(), "unsupported_format", "an SVG document");
    entry(
        line("over-max-bytes", null, "image_too_large", "image_too_large")
            .put("value", "over-max-bytes")
            .put("why", "a PNG one byte over the test's image.max.bytes, made by the test"));
    entry(
        line("tombstone", null, "empty_image", "empty_image")
            .put("value", "null")
            .put("why", "a null value (tombstone)"));
    entry(
        line("null-key", "good.png", "audited", "audited")
            .putNull("key")
            .put("why", "a good image with a null key"));
    ObjectNode invalid = line("headers-invalid-utf8", "good.png", "audited", "audited");
    invalid.putObject("headers").put("event-id", "hex:c328ff").put("label", "hex:fffe80");
    entry(invalid.put("why", "event-id and label headers that are not UTF-8"));
    ObjectNode unknown = line("unknown-label", "good.png", "audited", "audited");
    unknown.putObject("headers").put("label", "no-such-class");
    entry(unknown.put("why", "a label naming no class of the model: audited, correct unknown"));
    avroKinds(good);
    Files.write(dir.resolve("manifest.jsonl"), manifest, StandardCharsets.UTF_8);
    seeds("org/vitaudit/image/ImageDecoderFuzzTestInputs/decodeAndPreprocess", false);
    seeds("org/vitaudit/stream/AvroEventReaderFuzzTestInputs/readEvent", true);
  }

  /** The corpus's image files, or its Avro values, as a fuzz test's seeds (its regression test). */
  private void seeds(String folder, boolean avro) throws IOException {
    Path seeds = Files.createDirectories(dir.resolveSibling(folder));
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (!name.equals("manifest.jsonl") && name.endsWith(".avro") == avro) {
          Files.copy(f, seeds.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private void avroKinds(byte[] good) throws IOException {
    AvroSingleObjectSerde<ImageEvent> serde = AvroSingleObjectSerde.forClass(ImageEvent.class);
    byte[] valid =
        serde.encode(
            ImageEvent.newBuilder()
                .setEventId("avro")
                .setEventTime(Instant.ofEpochMilli(0))
                .setImage(ByteBuffer.wrap(good))
                .build());
    byte[] wrongFingerprint = valid.clone();
    ByteBuffer.wrap(wrongFingerprint, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0x0123456789L);
    Files.write(dir.resolve("good-event.avro"), valid);
    entry(
        line("avro-good", "good-event.avro", "unsupported_format", "audited")
            .put("value", "avro")
            .put("why", "a valid ImageEvent with the good PNG inline: the control"));
    avroValue(
        "avro-wrong-fingerprint",
        "wrong-fingerprint.avro",
        wrongFingerprint,
        "an ImageEvent whose fingerprint names no known schema");
    avroValue("avro-truncated", "truncated.avro", half(valid), "the first half of an ImageEvent");
    avroValue(
        "avro-huge-bytes",
        "huge-bytes.avro",
        avroBody(serde.fingerprint(), 1L << 40, 0),
        "an image field announcing 2^40 bytes");
    avroValue(
        "avro-huge-map",
        "huge-map.avro",
        avroBody(serde.fingerprint(), 1, 1L << 40),
        "a metadata map announcing 2^40 entries");
    uri("avro-unreachable-uri", "http://127.0.0.1:1/image.png", "unreachable_uri");
    uri("avro-404", "http://{http}/missing.png", "unreachable_uri");
    uri("avro-file-inside", "file://{allowed}/good.png", "audited");
    uri("avro-file-outside", "file://{outside}/good.png", "uri_not_allowed");
    uri("avro-symlink-outside", "file://{allowed}/link-to-outside.png", "uri_not_allowed");
    // http(s) is off but for uri.http.allowed.hosts: a host not listed is refused before any
    // lookup.
    uri("avro-http-host-not-allowed", "http://images.example.invalid/a.png", "uri_not_allowed");
  }

  private void image(String kind, String file, byte[] bytes, String outcome, String why)
      throws IOException {
    Files.write(dir.resolve(file), bytes);
    entry(line(kind, file, outcome, outcome).put("why", why));
  }

  private void avroValue(String kind, String file, byte[] bytes, String why) throws IOException {
    Files.write(dir.resolve(file), bytes);
    entry(
        line(kind, file, "unsupported_format", "unreadable_avro")
            .put("value", "avro")
            .put("why", why + " (raw: bytes that are no image)"));
  }

  private void uri(String kind, String uri, String outcome) {
    entry(
        line(kind, null, null, outcome)
            .put("uri", uri)
            .put("why", "an ImageEvent whose image is the URI " + uri));
  }

  private static ObjectNode line(String kind, String file, String raw, String avro) {
    ObjectNode o = JSON.createObjectNode().put("kind", kind);
    if (file != null) {
      o.put("file", file);
    }
    if (raw != null) {
      o.put("raw", raw);
    }
    return o.put("avro", avro);
  }

  private void entry(ObjectNode o) {
    manifest.add(o.toString());
  }

  // ---- images ----

  private static byte[] half(byte[] bytes) {
    return Arrays.copyOf(bytes, bytes.length / 2);
  }

  private static byte[] ihdr(int width, int height, int depth, int colourType) {
    return chunk(
        "IHDR",
        ByteBuffer.allocate(13)
            .putInt(width)
            .putInt(height)
            .put((byte) depth)
            .put((byte) colourType)
            .put(new byte[3])
            .array());
  }

  private static byte[] chunk(String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length)
        .putInt(data.length)
        .put(typeBytes)
        .put(data)
        .putInt((int) crc.getValue())
        .array();
  }

  /** A PNG of the given colour type and depth; {@code rows} are the unfiltered scanlines. */
  private static byte[] png(int w, int h, int depth, int colourType, byte[] plte, byte[][] rows)
      throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(raw)) {
      for (byte[] row : rows) {
        z.write(0); // filter: none
        z.write(row);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    out.writeBytes(ihdr(w, h, depth, colourType));
    if (plte != null) {
      out.writeBytes(chunk("PLTE", plte));
    }
    out.writeBytes(chunk("IDAT", raw.toByteArray()));
    out.writeBytes(chunk("IEND", new byte[0]));
    return out.toByteArray();
  }

  private static byte[][] rows(int w, int h, int bytesPerPixel, long seed) {
    Random r = new Random(seed);
    byte[][] rows = new byte[h][w * bytesPerPixel];
    for (byte[] row : rows) {
      r.nextBytes(row);
    }
    return rows;
  }

  private static byte[] png16Rgb() throws IOException {
    return png(24, 20, 16, 2, null, rows(24, 20, 6, 7));
  }

  private static byte[] png16Gray() throws IOException {
    return png(24, 20, 16, 0, null, rows(24, 20, 2, 8));
  }

  private static byte[] pngPalette() throws IOException {
    byte[] plte = new byte[16 * 3];
    new Random(9).nextBytes(plte);
    byte[][] rows = rows(24, 20, 1, 10);
    for (byte[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (byte) ((row[i] & 0xff) % 16);
      }
    }
    return png(24, 20, 8, 3, plte, rows);
  }

  private static byte[] pngGrayAlpha() throws IOException {
    return png(24, 20, 8, 4, null, rows(24, 20, 2, 11));
  }

  /** The JPEG with its first SOF0 saying 65500x65500. */
  private static byte[] hugeJpegHeader(byte[] jpeg) {
    byte[] out = jpeg.clone();
    for (int i = 2; i + 8 < out.length; i++) {
      if ((out[i] & 0xff) == 0xff && (out[i + 1] & 0xff) == 0xc0) {
        ByteBuffer.wrap(out, i + 5, 4).putShort((short) 65500).putShort((short) 65500);
        return out;
      }
    }
    throw new IllegalStateException("no SOF0 in the JPEG");
  }

  private static byte[] cmykJpeg() throws IOException {
    WritableRaster ras = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 40, 30, 4, null);
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        for (int b = 0; b < 4; b++) {
          ras.setSample(x, y, b, (x * 7 + y * 3 + b * 50) & 255);
        }
      }
    }
    return writeJpeg(new IIOImage(ras, null, null), null);
  }

  private static byte[] progressiveJpeg() throws IOException {
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam p = w.getDefaultWriteParam();
    p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    w.dispose();
    return writeJpeg(new IIOImage(ImageDecoderTest.noise(40, 30, 12), null, null), p);
  }

  private static byte[] writeJpeg(IIOImage image, ImageWriteParam param) throws IOException {
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      w.setOutput(ios);
      w.write(null, image, param);
    } finally {
      w.dispose();
    }
    return out.toByteArray();
  }

  /** The JPEG with an EXIF APP1 segment (orientation 6) after its JFIF APP0. */
  private static byte[] exifRotated(byte[] jpeg) {
    ByteBuffer exif = ByteBuffer.allocate(2 + 2 + 6 + 8 + 2 + 12 + 4);
    exif.putShort((short) 0xffe1).putShort((short) (exif.capacity() - 2));
    exif.put("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
    exif.put(new byte[] {'M', 'M', 0, 42}).putInt(8); // big-endian TIFF, IFD0 at 8
    exif.putShort((short) 1); // one entry
    exif.putShort((short) 0x0112)
        .putShort((short) 3)
        .putInt(1)
        .putShort((short) 6)
        .putShort((short) 0);
    exif.putInt(0); // no next IFD
    int app0End = 4 + ((jpeg[4] & 0xff) << 8 | (jpeg[5] & 0xff));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, app0End);
    out.writeBytes(exif.array());
    out.write(jpeg, app0End, jpeg.length - app0End);
    return out.toByteArray();
  }

  /** A GIF89a of 1x1 pixel with {@code frames} frames. */
  private static byte[] manyFrameGif(int frames) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeBytes("GIF89a");
    out.write(new byte[] {1, 0, 1, 0, (byte) 0x80, 0, 0}); // 1x1, global table of 2 colours
    out.write(new byte[] {0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff});
    for (int i = 0; i < frames; i++) {
      out.write(new byte[] {0x21, (byte) 0xf9, 4, 0, 1, 0, 0, 0}); // graphic control: 10 ms
      out.write(new byte[] {0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0}); // image descriptor
      out.write(new byte[] {2, 2, (byte) (i % 2 == 0 ? 0x44 : 0x4c), 1, 0}); // LZW: one pixel
    }
    out.write(0x3b);
    return bytes.toByteArray();
  }

  private static byte[] webp() {
    byte[] vp8l = {0x2f, 0, 0, 0, 0, 0x07, 0, 0, 0, 0}; // signature, 1x1, then a stub bitstream
    ByteBuffer b = ByteBuffer.allocate(20 + vp8l.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + vp8l.length);
    b.put("WEBPVP8L".getBytes(StandardCharsets.US_ASCII)).putInt(vp8l.length).put(vp8l);
    return b.array();
  }

  private static byte[] heic() {
    ByteBuffer b = ByteBuffer.allocate(24 + 16);
    b.putInt(24).put("ftypheic".getBytes(StandardCharsets.US_ASCII)).putInt(0);
    b.put("mif1heic".getBytes(StandardCharsets.US_ASCII));
    b.putInt(16).put("meta".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(0);
    return b.array();
  }

  private static byte[] svg() {
    return ("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"32\""
            + " height=\"32\"><rect width=\"32\" height=\"32\" fill=\"red\"/></svg>\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * An ImageEvent written by hand: event id, time 0, no source or content type, inline image bytes
   * of the announced length (one byte follows), no label, and a metadata map announcing {@code
   * mapCount} entries (none follow).
   */
  private static byte[] avroBody(long fingerprint, long imageLength, long mapCount)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0xc3, 0x01});
    out.writeBytes(
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(fingerprint).array());
    BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
    e.writeString("forged");
    e.writeLong(0);
    e.writeIndex(0); // source: null
    e.writeIndex(0); // content_type: null
    e.writeIndex(0); // image: bytes
    e.writeLong(imageLength);
    e.writeFixed(new byte[] {0x42});
    e.writeIndex(0); // label: null
    e.writeLong(mapCount);
    e.flush();
    return out.toByteArray();
  }
}
