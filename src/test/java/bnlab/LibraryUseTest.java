package bnlab;

import bnlab.advise.Advice;
import bnlab.advise.Finding;
import bnlab.advise.Rule;
import bnlab.model.BuiltInModel;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * bnlab as a library, the way its README tells a user to take it: a project of its own whose
 * pom has the README's dependency, whose .mvn/maven.config has the README's line, and whose
 * code is the README's example, built by Maven against bnlab's jar (installed into a repository
 * of the test's own, every other artifact from the local repository, or from Maven's repository
 * as a user's build would take it: without Spark on its class path the example's dependencies
 * settle on versions that bnlab's own build never needs), then run.
 */
class LibraryUseTest {

    private static final Path README = Path.of("README.md");
    private static final String SECTION = "## Use bnlab from your own project";
    /** A jar for one platform: nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx2.jar, opencl-3.0-1.5.7-windows-x86_64.jar. */
    private static final Pattern PLATFORM_JAR = Pattern.compile("-(android|ios|linux|macosx|windows)-([a-z0-9_]+)[a-z0-9-]*\\.jar$");

    /** What only bnlab's command line needs or its tests: the logging backend, options, dashboard, charts, Spark, JUnit. */
    private static final Pattern COMMAND_LINE_ONLY = Pattern.compile(
            "(junit-.*|logback-.*|picocli-.*|xchart-.*|deeplearning4j-ui-\\d.*|commonmark-.*|spark-core_.*|dl4j-spark_.*)\\.jar");

    @TempDir
    Path dir;

    @Test
    void theReadmesExampleBuildsAndRunsInAProjectOfItsOwn() throws IOException, InterruptedException {
        String section = section(Files.readString(README));
        List<String> blocks = codeBlocks(section);
        String dependency = blocks.get(0);
        String mavenConfig = blocks.get(1);
        String example = blocks.get(2);
        assertTrue(dependency.contains("<version>" + bnlabVersion() + "</version>"), dependency);

        Path repository = dir.resolve("repository");
        install(repository, bnlabVersion());
        Path project = dir.resolve("project");
        Files.createDirectories(project.resolve(".mvn"));
        Files.writeString(project.resolve(".mvn/maven.config"), mavenConfig);
        Files.writeString(project.resolve("pom.xml"), consumerPom(dependency));
        Path source = project.resolve("src/main/java/BnExample.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, example);
        Path classpath = dir.resolve("classpath.txt");

        Process maven = new ProcessBuilder(Path.of("mvnw").toAbsolutePath().toString(), "-q", "-B",
                "-Dmaven.repo.local=" + repository, "-Dmaven.repo.local.tail=" + localRepository(),
                "compile", "dependency:build-classpath", "-Dmdep.outputFile=" + classpath,
                "exec:java", "-Dexec.mainClass=BnExample",
                "-Dexec.args=" + Path.of("data/mnist").toAbsolutePath() + " 1000")
                .directory(project.toFile()).redirectErrorStream(true).start();
        String output = new String(maven.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, maven.waitFor(), output);

        assertTrue(output.contains("mlp_bn: no findings in"), output);
        Matcher accuracy = Pattern.compile("validation accuracy (\\d\\.\\d+)").matcher(output);
        assertTrue(accuracy.find(), output);
        assertTrue(Double.parseDouble(accuracy.group(1)) > 0.5, "trained far above chance (0.1): " + output);
        Matcher folded = Pattern.compile("folded (\\d+) -> (\\d+) layers, outputs within (\\S+)").matcher(output);
        assertTrue(folded.find(), output);
        assertTrue(Integer.parseInt(folded.group(2)) < Integer.parseInt(folded.group(1)), output);
        assertTrue(Double.parseDouble(folded.group(3)) < 1e-4, output);

        for (String jar : Files.readString(classpath).strip().split(":")) {
            String name = Path.of(jar).getFileName().toString();
            Matcher platform = PLATFORM_JAR.matcher(name);
            assertTrue(!platform.find() || (platform.group(1).equals("linux") && platform.group(2).equals("x86_64")),
                    "natives for another platform: " + jar);
            assertTrue(!COMMAND_LINE_ONLY.matcher(name).matches(), "not for a library user: " + jar);
        }
    }

    @Test
    void theLibraryUsesNothingOfTheApplicationNorOfItsOptionalDependencies() throws IOException {
        Pattern application = Pattern.compile("^import (static )?(bnlab\\.(cli|experiment|report|ui|bench|distributed)\\.|picocli\\."
                + "|ch\\.qos\\.|org\\.knowm\\.|org\\.commonmark\\.|org\\.deeplearning4j\\.ui\\.|org\\.apache\\.spark\\.)", Pattern.MULTILINE);
        for (String library : List.of("data", "model", "train", "infer", "advise", "cpu", "verify")) {
            try (Stream<Path> sources = Files.walk(Path.of("src/main/java/bnlab", library))) {
                for (Path source : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher use = application.matcher(Files.readString(source));
                    if (use.find()) {
                        fail(source + " uses the application: " + use.group());
                    }
                }
            }
        }
    }

    @Test
    void aLintRuleOfTheUsersOwnRunsBesideTheBuiltInOnes() {
        Rule wideDense = configuration -> IntStream.range(0, configuration.getConfs().size())
                .filter(i -> configuration.getConf(i).getLayer() instanceof DenseLayer dense && dense.getNOut() > 100)
                .mapToObj(i -> Finding.at(i, configuration.getConf(i).getLayer(), "wide-dense", "wider than 100",
                        "a house rule", "use 100 units"))
                .toList();
        Advice advice = Advice.of("mlp_bn", BuiltInModel.MLP_BN.configuration(42), OptionalInt.of(2), List.of(wideDense));

        List<String> rules = advice.findings().stream().map(Finding::rule).distinct().toList();
        assertEquals(List.of("small-batch", "wide-dense"), rules.stream().sorted().toList(), advice.text());
        assertEquals(advice.findings().stream().filter(f -> f.rule().equals("small-batch")).toList(),
                Advice.of("mlp_bn", BuiltInModel.MLP_BN.configuration(42), 2).findings());
    }

    private static String section(String readme) {
        int start = readme.indexOf(SECTION);
        assertTrue(start >= 0, "README.md has no section " + SECTION);
        int end = readme.indexOf("\n## ", start + SECTION.length());
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** The section's fenced code blocks, in order: the dependency, the maven.config line, the example. */
    private static List<String> codeBlocks(String section) {
        List<String> blocks = Pattern.compile("(?ms)^```[a-z]*\\n(.*?)^```$").matcher(section).results()
                .map(block -> block.group(1)).toList();
        assertEquals(3, blocks.size(), section);
        return blocks;
    }

    private static String bnlabVersion() throws IOException {
        Properties versions = new Properties();
        try (InputStream in = LibraryUseTest.class.getResourceAsStream("/bnlab/versions.properties")) {
            versions.load(in);
        }
        return versions.getProperty("bnlab");
    }

    /** Installs bnlab's classes as a jar, with its pom, the way {@code mvn install} lays them out. */
    private static void install(Path repository, String version) throws IOException {
        Path folder = repository.resolve("bnlab/bnlab/" + version);
        Files.createDirectories(folder);
        Files.copy(Path.of("pom.xml"), folder.resolve("bnlab-" + version + ".pom"));
        Path classes = Path.of("target/classes");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(folder.resolve("bnlab-" + version + ".jar")));
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, (OutputStream) jar);
                jar.closeEntry();
            }
        }
    }

    /** The local repository the tests' own dependencies came from: DL4J's jar lies five folders down in it. */
    private static Path localRepository() {
        try {
            Path jar = Path.of(MultiLayerNetwork.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent().getParent().getParent().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plain project with the README's dependency, its plugins at the versions bnlab builds with (offline). */
    private static String consumerPom(String dependency) throws IOException {
        String bnlabPom = Files.readString(Path.of("pom.xml"));
        StringBuilder plugins = new StringBuilder();
        for (String plugin : List.of("maven-compiler-plugin", "maven-dependency-plugin", "exec-maven-plugin")) {
            Matcher declared = Pattern.compile("<groupId>([^<]+)</groupId>\\s*<artifactId>" + plugin
                    + "</artifactId>\\s*<version>([^<]+)</version>").matcher(bnlabPom);
            assertTrue(declared.find(), plugin + " in pom.xml");
            plugins.append(String.format("<plugin><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version>"
                    + "%s</plugin>%n", declared.group(1), plugin, declared.group(2), plugin.startsWith("exec")
                    ? "<configuration><cleanupDaemonThreads>false</cleanupDaemonThreads></configuration>" : ""));
        }
        return """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>uses-bnlab</artifactId>
                  <version>1</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencies>
                %s
                  </dependencies>
                  <build>
                    <plugins>
                %s
                    </plugins>
                  </build>
                </project>
                """.formatted(dependency, plugins);
    }
}
