package bnlab.cpu;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link MultiLayerUpdater}, on the path DL4J meant for a network's own gradient.
 * <p>
 * The updater tells the network's own gradient from one computed elsewhere by identity:
 * {@code gradient.gradient() != getFlattenedGradientsView()}. In DL4J 1.0.0-M2.1
 * {@code DefaultGradient.gradient()} returns a new reshaped view at every call, so every step
 * takes the path for outside gradients, which builds fresh views of the parameters and
 * gradients, several per parameter per step. On small batches those views cost as much as the
 * arithmetic: {@code mlp_bn} trained a third faster at batch 32 without them
 * (docs/PERFORMANCE.md). This updater hands DL4J's code a gradient that is the view itself
 * whenever the gradient is the network's own memory; the arithmetic is DL4J's, unchanged.
 */
final class NetworkGradientUpdater extends MultiLayerUpdater {

    private NetworkGradientUpdater(MultiLayerNetwork network, INDArray state) {
        super(network, state);
    }

    /** Replaces {@code network}'s updater with one of these, keeping its state (Adam's moments ...). */
    static void install(MultiLayerNetwork network) {
        if (!(network.getUpdater() instanceof NetworkGradientUpdater)) {
            network.setUpdater(new NetworkGradientUpdater(network, network.getUpdater().getStateViewArray()));
        }
    }

    @Override
    public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize,
                                    LayerWorkspaceMgr workspaceMgr) {
        INDArray view = getFlattenedGradientsView();
        super.update(isView(gradient.gradient(), view) ? asView(gradient, view) : gradient, iteration, epoch, batchSize,
                workspaceMgr);
    }

    /** Whether {@code gradient} is {@code view}'s memory, whatever the array object. */
    static boolean isView(INDArray gradient, INDArray view) {
        return gradient.length() == view.length()
                && gradient.data().addressPointer().address() == view.data().addressPointer().address();
    }

    /** {@code gradient}, whose {@code gradient()} is {@code view} itself. */
    private static Gradient asView(Gradient gradient, INDArray view) {
        Gradient same = new DefaultGradient(view) {
            @Override
            public INDArray gradient() {
                return view;
            }
        };
        gradient.gradientForVariable().forEach((name, array) ->
                same.setGradientFor(name, array, gradient.flatteningOrderForVariable(name)));
        return same;
    }
}
