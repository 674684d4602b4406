package bnlab.report;

import bnlab.train.EpochRecord;
import bnlab.train.History;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.colors.XChartSeriesColors;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** PNG charts of training histories. */
public final class Charts {

    private static final int PANEL_WIDTH = 640;
    private static final int PANEL_HEIGHT = 440;
    private static final Color[] COLORS = new XChartSeriesColors().getSeriesColors();

    private Charts() {
    }

    /**
     * The tutorial's figure: accuracy (left) and loss (right) against epoch, training dashed and
     * validation solid, one colour per model.
     */
    public static BufferedImage epochComparison(List<History> histories) {
        return sideBySide(
                perEpoch("Accuracy", histories, EpochRecord::trainAccuracy, EpochRecord::valAccuracy),
                perEpoch("Loss", histories, EpochRecord::trainLoss, EpochRecord::valLoss));
    }

    private static XYChart perEpoch(String metric, List<History> histories, ToDoubleFunction<EpochRecord> train,
                                    ToDoubleFunction<EpochRecord> validation) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
                .title(metric).xAxisTitle("epoch").yAxisTitle(metric.toLowerCase()).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("#");
        for (int m = 0; m < histories.size(); m++) {
            History history = histories.get(m);
            List<EpochRecord> epochs = history.epochs();
            double[] x = epochs.stream().mapToDouble(EpochRecord::epoch).toArray();
            Color color = COLORS[m % COLORS.length];
            addLine(chart, history.model() + " train", x, epochs.stream().mapToDouble(train).toArray(), color,
                    SeriesLines.DASH_DASH);
            addLine(chart, history.model() + " validation", x, epochs.stream().mapToDouble(validation).toArray(),
                    color, SeriesLines.SOLID);
        }
        return chart;
    }

    private static void addLine(XYChart chart, String name, double[] x, double[] y, Color color,
                                BasicStroke line) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setLineStyle(line);
        series.setMarker(SeriesMarkers.CIRCLE);
    }

    /** Draws charts next to each other in one image. */
    static BufferedImage sideBySide(XYChart... charts) {
        BufferedImage image = new BufferedImage(PANEL_WIDTH * charts.length, PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            for (int i = 0; i < charts.length; i++) {
                g.drawImage(BitmapEncoder.getBufferedImage(charts[i]), i * PANEL_WIDTH, 0, null);
            }
        } finally {
            g.dispose();
        }
        return image;
    }
}
