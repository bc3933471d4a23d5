package io.agentcouncil.benchmarks.eval;

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
import javax.imageio.ImageIO;

/** The cascade table as a PNG: accuracy against milliseconds per question, with Java2D (headless). */
final class AccuracyComputePlot {

    private static final int W = 800;
    private static final int H = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 40;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;

    private AccuracyComputePlot() {}

    static void write(List<CascadeEval.Line> table, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double maxMs = table.stream().mapToDouble(CascadeEval.Line::meanMs).max().orElse(1) * 1.1;
        double maxAcc = Math.min(1, table.stream().mapToDouble(CascadeEval.Line::accuracy).max().orElse(1) * 1.2 + 0.02);
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

        // Axes, ticks and labels.
        g.setColor(Color.BLACK);
        g.drawLine(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM);
        g.drawLine(LEFT, TOP, LEFT, H - BOTTOM);
        for (int i = 0; i <= 5; i++) {
            double ms = maxMs * i / 5;
            int x = x(ms, maxMs);
            g.drawLine(x, H - BOTTOM, x, H - BOTTOM + 5);
            g.drawString(String.format(Locale.ROOT, "%.0f", ms), x - 12, H - BOTTOM + 20);
            double acc = maxAcc * i / 5;
            int y = y(acc, maxAcc);
            g.drawLine(LEFT - 5, y, LEFT, y);
            g.drawString(String.format(Locale.ROOT, "%.0f%%", 100 * acc), LEFT - 45, y + 4);
        }
        g.drawString("compute: milliseconds per question", W / 2 - 100, H - 25);
        g.drawString("accuracy", 15, TOP - 15);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("Accuracy against compute: Agent-0, council, cascade by gate", LEFT, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

        // The cascade as a line through its gates, each gate labelled.
        List<CascadeEval.Line> cascade = table.stream().filter(l -> l.name().equals("cascade")).toList();
        g.setColor(new Color(30, 90, 200));
        g.setStroke(new BasicStroke(2));
        for (int i = 1; i < cascade.size(); i++) {
            CascadeEval.Line a = cascade.get(i - 1), b = cascade.get(i);
            g.drawLine(x(a.meanMs(), maxMs), y(a.accuracy(), maxAcc), x(b.meanMs(), maxMs), y(b.accuracy(), maxAcc));
        }
        for (CascadeEval.Line l : cascade) {
            int x = x(l.meanMs(), maxMs), y = y(l.accuracy(), maxAcc);
            boolean isDefault = Math.abs(l.gate() - 0.65) < 1e-9;
            g.fillOval(x - (isDefault ? 6 : 4), y - (isDefault ? 6 : 4), isDefault ? 12 : 8, isDefault ? 12 : 8);
            g.drawString(String.format(Locale.ROOT, "%s%.2f", isDefault ? "gate " : "", l.gate()), x + 7, y - 7);
        }
        // Agent-0 alone and the council alone.
        point(g, table.get(0), maxMs, maxAcc, new Color(200, 60, 30));
        point(g, table.get(1), maxMs, maxAcc, new Color(20, 140, 60));
        // What no gate can beat (CascadeEval: the oracle lines).
        table.stream().filter(l -> l.name().startsWith("oracle")).forEach(l -> point(g, l, maxMs, maxAcc, Color.GRAY));
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static void point(Graphics2D g, CascadeEval.Line l, double maxMs, double maxAcc, Color c) {
        g.setColor(c);
        int x = x(l.meanMs(), maxMs), y = y(l.accuracy(), maxAcc);
        g.fillRect(x - 6, y - 6, 12, 12);
        g.drawString(l.name(), x + 9, y + 16);
    }

    private static int x(double ms, double maxMs) {
        return LEFT + (int) Math.round((W - LEFT - RIGHT) * ms / maxMs);
    }

    private static int y(double acc, double maxAcc) {
        return H - BOTTOM - (int) Math.round((H - TOP - BOTTOM) * acc / maxAcc);
    }
}
