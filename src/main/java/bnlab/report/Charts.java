package bnlab.report;

import bnlab.train.EpochRecord;
import bnlab.train.History;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.colors.XChartSeriesColors;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** PNG charts of training results, built from a few kinds of panel. */
public final class Charts {

    public static final int PANEL_WIDTH = 640;
    public static final int PANEL_HEIGHT = 440;
    private static final Color[] COLORS = new XChartSeriesColors().getSeriesColors();
    /** A legend entry's marker and padding, and a character of its name, in XChart's default legend font. */
    private static final int LEGEND_ENTRY_PIXELS = 50;
    private static final int LEGEND_CHARACTER_PIXELS = 7;

    private Charts() {
    }

    /** One line of a line panel; {@code dashed} for training figures beside solid validation ones. */
    public record Line(String name, double[] x, double[] y, int color, boolean dashed) {
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
        List<Line> lines = new ArrayList<>();
        for (int m = 0; m < histories.size(); m++) {
            List<EpochRecord> epochs = histories.get(m).epochs();
            double[] x = epochs.stream().mapToDouble(EpochRecord::epoch).toArray();
            String model = histories.get(m).model();
            lines.add(new Line(model + " train", x, epochs.stream().mapToDouble(train).toArray(), m, true));
            lines.add(new Line(model + " validation", x, epochs.stream().mapToDouble(validation).toArray(), m, false));
        }
        return lines(metric, "epoch", metric.toLowerCase(), lines, false);
    }

    /** A panel of lines against a shared x axis, optionally with a logarithmic y axis. */
    public static XYChart lines(String title, String xLabel, String yLabel, List<Line> lines, boolean logarithmicY) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
                .title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisLogarithmic(logarithmicY);
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        for (Line line : lines) {
            XYSeries series = chart.addSeries(line.name(), line.x(), line.y());
            Color color = COLORS[line.color() % COLORS.length];
            series.setLineColor(color);
            series.setMarkerColor(color);
            series.setLineStyle(line.dashed() ? SeriesLines.DASH_DASH : SeriesLines.SOLID);
            series.setMarker(line.x().length > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        return legendOutside(chart);
    }

    /** One series of a sweep panel: a figure's mean and standard deviation at each swept value where runs finished. */
    public record SweepLine(String name, double[] x, double[] mean, double[] sd, int color) {
    }

    /** Swept values to mark with crosses at a height {@code y}, e.g. where runs failed. */
    public record Marks(String name, double[] x, double y, int color) {
    }

    /**
     * A figure against a setting swept over orders of magnitude (a learning rate, say) on a
     * logarithmic x axis: each line's mean with ± sd error bars, and marks as unconnected crosses.
     */
    public static XYChart sweep(String title, String xLabel, String yLabel, List<SweepLine> lines, List<Marks> marks) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
                .title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        for (SweepLine line : lines) {
            if (line.x().length > 0) {
                colored(chart.addSeries(line.name(), line.x(), line.mean(), line.sd()), line.color())
                        .setMarker(SeriesMarkers.CIRCLE);
            }
        }
        for (Marks mark : marks) {
            if (mark.x().length > 0) {
                double[] y = new double[mark.x().length];
                Arrays.fill(y, mark.y());
                XYSeries crosses = colored(chart.addSeries(mark.name(), mark.x(), y), mark.color());
                crosses.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                crosses.setMarker(SeriesMarkers.CROSS);
            }
        }
        return legendOutside(chart);
    }

    /**
     * Puts a panel's legend outside its plot, where it hides no data whatever the lines do: in a
     * row below the plot where the entries fit in one, else in a column to its right.
     */
    private static <C extends Chart<?, ?>> C legendOutside(C chart) {
        int rowWidth = chart.getSeriesMap().keySet().stream()
                .mapToInt(name -> LEGEND_ENTRY_PIXELS + LEGEND_CHARACTER_PIXELS * name.length()).sum();
        boolean fitsInARow = rowWidth <= PANEL_WIDTH - LEGEND_ENTRY_PIXELS;
        chart.getStyler().setLegendPosition(fitsInARow ? Styler.LegendPosition.OutsideS : Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendLayout(fitsInARow ? Styler.LegendLayout.Horizontal : Styler.LegendLayout.Vertical);
        return chart;
    }

    private static XYSeries colored(XYSeries series, int color) {
        series.setLineColor(COLORS[color % COLORS.length]);
        series.setMarkerColor(COLORS[color % COLORS.length]);
        return series;
    }

    /** Bars with error bars: one bar per category, in each of several groups (series). */
    public static CategoryChart bars(String title, String yLabel, List<String> categories, List<String> groups,
                                     double[][] values, double[][] errors) {
        CategoryChart chart = new CategoryChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
                .title(title).yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        for (int g = 0; g < groups.size(); g++) {
            List<Double> value = new ArrayList<>();
            List<Double> error = new ArrayList<>();
            for (int c = 0; c < categories.size(); c++) {
                value.add(values[g][c]);
                error.add(errors[g][c]);
            }
            chart.addSeries(groups.get(g), categories, value, error).setFillColor(COLORS[g % COLORS.length]);
        }
        return legendOutside(chart);
    }

    /**
     * Puts line panels on one y range, the smallest holding all their points, so that panels
     * drawn side by side compare at a glance instead of each zooming into its own lines.
     */
    public static void sameYRange(XYChart... panels) {
        double[] y = Arrays.stream(panels)
                .flatMap(panel -> panel.getSeriesMap().values().stream())
                .flatMapToDouble(series -> Arrays.stream(series.getYData()))
                .filter(Double::isFinite)
                .toArray();
        if (y.length == 0) {
            return;
        }
        double min = Arrays.stream(y).min().orElseThrow();
        double max = Arrays.stream(y).max().orElseThrow();
        for (XYChart panel : panels) {
            panel.getStyler().setYAxisMin(min);
            panel.getStyler().setYAxisMax(max);
        }
    }

    /** Draws panels next to each other in one image. */
    public static BufferedImage sideBySide(Chart<?, ?>... panels) {
        BufferedImage image = new BufferedImage(PANEL_WIDTH * panels.length, PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            for (int i = 0; i < panels.length; i++) {
                g.drawImage(BitmapEncoder.getBufferedImage(panels[i]), i * PANEL_WIDTH, 0, null);
            }
        } finally {
            g.dispose();
        }
        return image;
    }
}
