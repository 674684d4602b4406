package bnlab.distributed;

import bnlab.BadInputException;
import bnlab.cpu.CpuTuning;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** bnlab's connection to a Spark cluster, set up as bnlab needs it: see {@link #start}. */
public final class SparkCluster implements AutoCloseable {

    static final String EXPORT = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";

    private final JavaSparkContext spark;

    private SparkCluster(JavaSparkContext spark) {
        this.spark = spark;
    }

    /**
     * Refuses to start where Spark cannot work: Spark's storage reaches into {@code sun.nio.ch},
     * which Java 17 opens only when the JVM is started with {@value #EXPORT} (bnlab's
     * {@code .mvn/jvm.config}, its jar's manifest and its tests' JVM give it).
     */
    public static void requireJvmOptions() {
        boolean exported = ModuleLayer.boot().findModule("java.base")
                .map(base -> base.isExported("sun.nio.ch", SparkCluster.class.getModule()))
                .orElse(false);
        if (!exported) {
            throw new BadInputException("--spark: this JVM was started without " + EXPORT + ", which Spark needs on "
                    + "Java 17; run bnlab with ./mvnw or java -jar, or add it to the java command line");
        }
    }

    /**
     * Connects to {@code master}. On this machine (local mode, or a standalone master on a
     * loopback address) Spark's driver and block manager listen on the loopback interface only;
     * Spark's web UI is off everywhere. Executors get the native build and OpenBLAS kernels
     * this process chose, and this process's class path, as absolute paths: bnlab's folder (or
     * its jar with lib/ beside it) must be at the same place on every node, as it is on a
     * cluster of this one machine. Any {@code spark.*} property given to this JVM ({@code -D},
     * or by spark-submit) is taken as well, and wins over these choices but the bindings and UI.
     */
    public static SparkCluster start(SparkMaster master, String name) {
        SparkConf conf = new SparkConf()
                .setMaster(master.url())
                .setAppName("bnlab " + name)
                .set("spark.ui.enabled", "false")
                .setIfMissing("spark.executor.extraJavaOptions", CpuTuning.nativeChoices())
                .setIfMissing("spark.executor.extraClassPath", absoluteClassPath());
        CpuTuning.openBlasCoreForThisCpu().ifPresent(core -> conf.setIfMissing("spark.executorEnv.OPENBLAS_CORETYPE", core));
        if (master.onLoopback()) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        return new SparkCluster(new JavaSparkContext(conf));
    }

    private static String absoluteClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    public JavaSparkContext context() {
        return spark;
    }

    @Override
    public void close() {
        spark.stop();
    }
}
