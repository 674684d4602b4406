package bnlab.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Versions of bnlab, DL4J and Java, recorded with every result. */
public final class Versions {

    private Versions() {
    }

    public static Map<String, String> all() {
        Properties properties = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("/bnlab/versions.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> versions = new TreeMap<>();
        properties.forEach((name, version) -> versions.put((String) name, (String) version));
        versions.put("java", Runtime.version().toString());
        return versions;
    }

    public static String bnlab() {
        return all().get("bnlab");
    }
}
