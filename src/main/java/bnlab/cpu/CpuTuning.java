package bnlab.cpu;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The CPU settings bnlab runs DL4J with, each chosen by measurement (docs/PERFORMANCE.md):
 * <ul>
 * <li>ND4J's oneDNN build ({@code -onednn-avx2}) on CPUs with AVX2 and FMA, the generic build
 * elsewhere;</li>
 * <li>OpenBLAS's kernels named for Intel CPUs ({@link #openBlasCoreFor}): ND4J's OpenBLAS 0.3.19
 * does not recognize Intel's newer processors and falls back to its slowest kernels;</li>
 * <li>for bnlab's own command line, no JavaCPP check of the process's physical memory at every
 * native allocation (it reads {@code /proc/self/statm} each time); {@link NativeMemory} checks
 * once per batch instead ({@link #beforeNd4jLoadsCheckingMemoryPerBatch});</li>
 * <li>oneDNN layer helpers, which DL4J 1.0.0-M2.1 never creates itself, because its check for
 * oneDNN looks up a class that no longer exists: DL4J's own on max-pooling layers, and bnlab's
 * {@link OneDnnConvHelper} and {@link OneDnnBatchNormHelper}, which run oneDNN themselves, on
 * convolution and BatchNormalization layers;</li>
 * <li>one OpenBLAS thread, and one ND4J (OpenMP) thread for dense networks, whose small
 * operations lose more to thread hand-offs than they gain, or one per core for convolutional
 * networks;</li>
 * <li>DL4J's updater on the path meant for a network's own gradient
 * ({@link NetworkGradientUpdater}).</li>
 * </ul>
 * Properties given with {@code -D} on the command line, and an {@code OPENBLAS_CORETYPE} in the
 * environment, win over these choices.
 */
public final class CpuTuning {

    static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";
    static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";
    static final String ONEDNN_BUILD = "-onednn-avx2";
    static final String OPENBLAS_CORETYPE = "OPENBLAS_CORETYPE";
    private static final List<String> AVX2_FMA = List.of("avx2", "fma");
    private static final List<String> AVX512 = List.of("avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl");

    /** The C library's environment, which OpenBLAS reads when it loads (Java's own is a read-only copy). */
    private interface CLibrary extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private CpuTuning() {
    }

    /**
     * Chooses ND4J's native build for this CPU (the oneDNN build with AVX2 and FMA, the generic
     * one without) and OpenBLAS's kernels. Must run before any ND4J or JavaCPP class loads, as
     * the first line of {@code main}; without it ND4J runs its generic build, with the same
     * results, slower.
     */
    public static void beforeNd4jLoads() {
        Map<String, String> cpu = cpuInfo();
        List<String> flags = flags(cpu);
        setIfAbsent(PLATFORM_EXTENSION, flags.containsAll(AVX2_FMA) ? ONEDNN_BUILD : "");
        openBlasCoreFor(cpu.getOrDefault("vendor_id", ""), flags).ifPresent(core -> {
            if (System.getenv(OPENBLAS_CORETYPE) == null) {
                Native.loadLibrary("c", CLibrary.class).setenv(OPENBLAS_CORETYPE, core, 0);
            }
        });
    }

    /**
     * {@link #beforeNd4jLoads}, and JavaCPP's check of the process's memory at every native
     * allocation off, which made mlp_bn's training a third slower. Only for a process whose
     * every loop that makes arrays calls {@link NativeMemory#bound()} instead (bnlab's command
     * line: its {@code Trainer}, validation and precise BN do); a plain {@code network.fit}
     * needs {@link NativeMemory#listener()} among its listeners, or native memory can grow
     * without limit.
     */
    public static void beforeNd4jLoadsCheckingMemoryPerBatch() {
        setIfAbsent(MAX_PHYSICAL_BYTES, "0");
        beforeNd4jLoads();
    }

    /**
     * The native choices this process made ({@link #beforeNd4jLoads}), as JVM options for
     * another process on a machine of the same kind: a Spark executor, whose JVM loads ND4J
     * before bnlab's code runs in it.
     */
    public static String nativeChoices() {
        return Stream.of(PLATFORM_EXTENSION, MAX_PHYSICAL_BYTES)
                .filter(property -> System.getProperty(property) != null)
                .map(property -> "-D" + property + "=" + System.getProperty(property))
                .collect(Collectors.joining(" "));
    }

    /** The OpenBLAS kernels bnlab names for this machine's CPU, if it names any ({@link #openBlasCoreFor}). */
    public static Optional<String> openBlasCoreForThisCpu() {
        Map<String, String> cpu = cpuInfo();
        return openBlasCoreFor(cpu.getOrDefault("vendor_id", ""), flags(cpu));
    }

    /**
     * The OpenBLAS kernels for a CPU, where bnlab names them: on Intel CPUs with AVX-512 SkylakeX's,
     * with AVX2 and FMA Haswell's. OpenBLAS 0.3.19 recognizes Intel CPUs by model number, and on
     * models newer than itself (Sapphire Rapids, for one) uses Prescott's SSE3 kernels: on such a
     * CPU matrix products ran 3 times slower (docs/PERFORMANCE.md). On CPUs it knows, these are
     * the kernels it picks itself. Other vendors' CPUs are left to its detection.
     */
    static Optional<String> openBlasCoreFor(String vendor, List<String> flags) {
        if (!vendor.equals("GenuineIntel")) {
            return Optional.empty();
        }
        if (flags.containsAll(AVX512)) {
            return Optional.of("SkylakeX");
        }
        return flags.containsAll(AVX2_FMA) ? Optional.of("Haswell") : Optional.empty();
    }

    /** The kernels the loaded OpenBLAS runs, as it names them ("SkylakeX", "Prescott" ...). */
    public static String openBlasCore() {
        Nd4j.getBackend();
        String library = Loader.getLoadedLibraries().values().stream()
                .filter(path -> path.contains("libopenblas"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("ND4J has loaded no OpenBLAS"));
        return NativeLibrary.getInstance(library).getFunction("openblas_get_corename").invokeString(new Object[0], false);
    }

    /** Sets ND4J up for training or running {@code network}. */
    public static void apply(MultiLayerNetwork network) {
        apply(network, OneDnnBatchNormHelper::new);
    }

    /**
     * {@link #apply(MultiLayerNetwork)} for a network that trains beside others in this process
     * and has {@code cores} of its own: a convolutional network gets that many threads, not
     * every core. The thread count is the process's, so networks trained at once should have
     * the same kind.
     */
    public static void apply(MultiLayerNetwork network, int cores) {
        apply(network, OneDnnBatchNormHelper::new, cores);
    }

    /** {@link #apply(MultiLayerNetwork)} with BN helpers from {@code bnHelpers}, for comparing them. */
    public static void apply(MultiLayerNetwork network, Supplier<BatchNormalizationHelper> bnHelpers) {
        apply(network, bnHelpers, Runtime.getRuntime().availableProcessors());
    }

    private static void apply(MultiLayerNetwork network, Supplier<BatchNormalizationHelper> bnHelpers, int cores) {
        if (oneDnnBuildLoaded()) {
            installHelpers(network, bnHelpers);
        }
        setThreads(network, cores);
        NetworkGradientUpdater.install(network);
    }

    /** {@link #apply(MultiLayerNetwork)} but for the layer helpers: threads and the updater. */
    public static void applyWithoutHelpers(MultiLayerNetwork network) {
        setThreads(network, Runtime.getRuntime().availableProcessors());
        NetworkGradientUpdater.install(network);
    }

    /** Sets ND4J's and OpenBLAS's thread counts for {@code network}, given {@code cores}. */
    private static void setThreads(MultiLayerNetwork network, int cores) {
        boolean convolutional = Arrays.stream(network.getLayers()).anyMatch(l -> l instanceof ConvolutionLayer);
        int threads = convolutional ? cores : 1;
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.factory().blas().setMaxThreads(1);
    }

    /** Whether ND4J runs on its oneDNN build. */
    public static boolean oneDnnBuildLoaded() {
        Nd4j.getBackend();
        return Loader.getLoadedLibraries().values().stream().anyMatch(path -> path.contains("linux-x86_64" + ONEDNN_BUILD));
    }

    /** Gives each plain convolution, pooling and BN layer of {@code network} its oneDNN helper, if it has none. */
    private static void installHelpers(MultiLayerNetwork network, Supplier<BatchNormalizationHelper> bnHelpers) {
        for (Layer layer : network.getLayers()) {
            Class<?> type = layer.getClass();
            if (type == ConvolutionLayer.class && ((ConvolutionLayer) layer).getHelper() == null) {
                setHelper(layer, ConvolutionLayer.class, new OneDnnConvHelper());
            } else if (type == SubsamplingLayer.class && ((SubsamplingLayer) layer).getHelper() == null) {
                setHelper(layer, SubsamplingLayer.class, new MKLDNNSubsamplingHelper(Nd4j.defaultFloatingPointType()));
            } else if (type == BatchNormalization.class && ((BatchNormalization) layer).getHelper() == null
                    // Locked gamma and beta are no parameters, which the helpers' ops expect. (DL4J's own
                    // check, checkSupported, also looks for oneDNN the broken way.)
                    && !((BatchNormalization) layer).layerConf().isLockGammaBeta()) {
                setHelper(layer, BatchNormalization.class, bnHelpers.get());
            }
        }
    }

    private static void setHelper(Layer layer, Class<?> declaringClass, Object helper) {
        try {
            Field field = declaringClass.getDeclaredField("helper");
            field.setAccessible(true);
            field.set(layer, helper);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("DL4J's " + declaringClass.getSimpleName() + " has no helper field", e);
        }
    }

    /** The first processor's fields in /proc/cpuinfo ("vendor_id", "flags" ...); none if it cannot be read. */
    static Map<String, String> cpuInfo() {
        Map<String, String> fields = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return fields;
    }

    /** The CPU's feature flags among {@code cpuInfo}'s fields. */
    static List<String> flags(Map<String, String> cpuInfo) {
        String flags = cpuInfo.getOrDefault("flags", "");
        return flags.isEmpty() ? List.of() : Arrays.asList(flags.split("\\s+"));
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
