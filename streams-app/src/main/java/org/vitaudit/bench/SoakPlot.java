package org.vitaudit.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/** A small line chart of a soak: heap after GC and resident set against the work done. */
public final class SoakPlot {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 320;
  private static final int MARGIN = 56;
  private static final Color HEAP = new Color(0x1f77b4);
  private static final Color RSS = new Color(0xd62728);
  private static final Color OFF_HEAP = new Color(0x2ca02c);

  private SoakPlot() {}

  public static void write(SoakResult result, String title, Path file) throws IOException {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      List<SoakResult.Sample> s = result.samples();
      double maxX = s.get(s.size() - 1).count();
      double maxY =
          s.stream().mapToDouble(p -> Math.max(p.heapMiB(), p.rssMiB())).max().orElse(1) * 1.1;
      axes(g, result.what(), maxX, maxY);
      line(g, s, SoakResult.Sample::heapMiB, maxX, maxY, HEAP);
      line(g, s, SoakResult.Sample::rssMiB, maxX, maxY, RSS);
      line(g, s, SoakResult.Sample::offHeapMiB, maxX, maxY, OFF_HEAP);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.setColor(Color.BLACK);
      g.drawString(title, MARGIN, 20);
      g.setColor(HEAP);
      g.drawString(
          String.format(Locale.ROOT, "heap after GC (%+.2f MiB/1k)", result.heapSlope()),
          MARGIN,
          38);
      g.setColor(RSS);
      g.drawString(
          String.format(Locale.ROOT, "RSS (%+.2f MiB/1k)", result.rssSlope()), MARGIN + 200, 38);
      g.setColor(OFF_HEAP);
      g.drawString(
          String.format(Locale.ROOT, "off-heap (%+.2f MiB/1k)", result.offHeapSlope()),
          MARGIN + 360,
          38);
    } finally {
      g.dispose();
    }
    ImageIO.write(image, "png", file.toFile());
  }

  private static void axes(Graphics2D g, String what, double maxX, double maxY) {
    g.setColor(Color.GRAY);
    g.drawLine(MARGIN, HEIGHT - MARGIN, WIDTH - MARGIN / 2, HEIGHT - MARGIN);
    g.drawLine(MARGIN, MARGIN, MARGIN, HEIGHT - MARGIN);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    for (int i = 0; i <= 4; i++) {
      int y = (int) y(maxY * i / 4, maxY);
      g.drawString(String.format(Locale.ROOT, "%.0f", maxY * i / 4), 8, y + 4);
      int x = (int) x(maxX * i / 4, maxX);
      g.drawString(String.format(Locale.ROOT, "%.0f", maxX * i / 4), x - 12, HEIGHT - MARGIN + 16);
    }
    g.drawString(what, WIDTH / 2 - 20, HEIGHT - 12);
    g.drawString("MiB", 8, MARGIN - 8);
  }

  private static void line(
      Graphics2D g,
      List<SoakResult.Sample> s,
      ToDoubleFunction<SoakResult.Sample> y,
      double maxX,
      double maxY,
      Color colour) {
    g.setColor(colour);
    g.setStroke(new BasicStroke(2f));
    for (int i = 1; i < s.size(); i++) {
      g.drawLine(
          (int) x(s.get(i - 1).count(), maxX),
          (int) y(y.applyAsDouble(s.get(i - 1)), maxY),
          (int) x(s.get(i).count(), maxX),
          (int) y(y.applyAsDouble(s.get(i)), maxY));
    }
  }

  private static double x(double v, double max) {
    return MARGIN + v / max * (WIDTH - 1.5 * MARGIN);
  }

  private static double y(double v, double max) {
    return HEIGHT - MARGIN - v / max * (HEIGHT - 2 * MARGIN);
  }
}
