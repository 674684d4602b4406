package bnlab.cpu;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/** oneDNN's CPU engine and streams, shared by bnlab's oneDNN layer helpers. */
final class OneDnn {

    static final engine CPU = new engine(engine.kind.cpu, 0);
    /** One per thread: oneDNN does not promise that a stream takes calls from several at once. */
    private static final ThreadLocal<stream> STREAM = ThreadLocal.withInitial(() -> new stream(CPU));

    private OneDnn() {
    }

    /** Runs {@code primitive} and waits for it. */
    static void run(primitive primitive, IntMemoryMap arguments) {
        stream stream = STREAM.get();
        primitive.execute(stream, arguments);
        stream._wait();
    }

    private static void reorder(reorder reorder, memory from, memory to) {
        stream stream = STREAM.get();
        reorder.execute(stream, from, to);
        stream._wait();
    }

    /** Points {@code memory} at {@code array}'s first element. */
    static void bind(memory memory, INDArray array) {
        memory.set_data_handle(array.data().addressPointer());
    }

    /** {@code array} itself if oneDNN can read its memory as a dense C-order block, else such a copy. */
    static INDArray contiguous(INDArray array) {
        return array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array) ? array : array.dup('c');
    }

    /** Copies {@code dense}, the {@link #contiguous} stand-in a primitive wrote, into {@code array}, unless it is {@code array}. */
    static void copyBack(INDArray dense, INDArray array) {
        if (dense != array) {
            array.assign(dense.reshape(array.shape()));
        }
    }

    /**
     * A tensor that a primitive reads or writes in a layout of its own choosing: a memory object
     * for the ND4J array (plain layout), one in the primitive's layout, and the reorders between
     * the two, or the array's memory itself where the layouts agree.
     */
    static final class Operand {
        private final memory user;
        final memory own;
        private final reorder toOwn;
        private final reorder toUser;

        Operand(memory.desc userLayout, memory.desc ownLayout) {
            user = new memory(userLayout, CPU, null);
            if (ownLayout.equals(userLayout)) {
                own = user;
                toOwn = null;
                toUser = null;
            } else {
                own = new memory(ownLayout, CPU);
                toOwn = new reorder(user, own);
                toUser = new reorder(own, user);
            }
        }

        /** Makes {@link #own} hold {@code array}'s values (a dense C-order block). */
        void read(INDArray array) {
            bind(user, array);
            if (toOwn != null) {
                reorder(toOwn, user, own);
            }
        }

        /** Makes {@code array} (a dense C-order block) the place {@link #flush} writes to. */
        void writeTo(INDArray array) {
            bind(user, array);
        }

        /** After the primitive ran: copies {@link #own}'s values into the array of {@link #writeTo}. */
        void flush() {
            if (toUser != null) {
                reorder(toUser, own, user);
            }
        }
    }
}
