package bnlab.experiment;

import bnlab.data.DataSettings;
import bnlab.data.TrainTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every experiment plans the runs it planned when its figures were measured: the same runs in
 * the same order, each with the same training settings, the same number of recorders and the
 * same network configuration (its JSON's SHA-256) over the same workers, quick and full. With the same data and CPU
 * that makes the same histories, so a change to how experiments are put together cannot change
 * what they measure unnoticed. Transfer is left out: its runs' configurations were built from
 * the pretrained networks, which take minutes to train. The pins come from bnlab as of the findings in docs/EXPERIMENTS.md.
 */
class PinnedRunsTest {

    @Test
    void everyExperimentPlansTheRunsItPlannedBefore() throws IOException {
        List<String> pinned = pinned();
        List<String> planned = new ArrayList<>();
        Map<DataSettings, TrainTest> loaded = new HashMap<>();
        for (Experiments experiment : Experiments.values()) {
            if (experiment == Experiments.TRANSFER) {
                continue;
            }
            for (String version : List.of("full", "quick")) {
                Experiment e = experiment.experiment();
                ExperimentSettings settings = version.equals("quick") ? e.quick() : e.defaults();
                TrainTest data = loaded.computeIfAbsent(settings.data(), DataSettings::load);
                for (Runner.Run run : e.plan(settings, data).runs()) {
                    planned.add(String.join("\t", experiment.toString(), version, run.name().toString(), run.training().toString(),
                            String.valueOf(run.recorders().size()), sha256(run.configuration().toJson()),
                            String.valueOf(run.workers())));
                }
            }
        }
        assertEquals(sorted(pinned), sorted(planned));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> pinned() throws IOException {
        try (InputStream in = PinnedRunsTest.class.getResourceAsStream("pinned-runs.tsv")) {
            return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .filter(line -> !line.startsWith("#") && !line.isBlank())
                    .toList();
        }
    }

    /** Grouped by experiment and version (a stable sort keeps the planned order within each), one run a line. */
    private static String sorted(List<String> lines) {
        return String.join("\n", lines.stream().sorted(Comparator.comparing(PinnedRunsTest::experimentAndVersion)).toList());
    }

    private static String experimentAndVersion(String line) {
        String[] fields = line.split("\t");
        return fields[0] + "\t" + fields[1];
    }
}
