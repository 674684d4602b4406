"""PyTorch ports of bnlab's bench models, timed the way `bench` times them.

Usage: python3 src/bench/pytorch_reference.py [--models mlp,mlp_bn,cnn_bn]
           [--batch-sizes 32,128] [--repeats 5] [--threads 2]

Training: a warm-up of 6,400 examples, then `--repeats` timed passes of 6,400 examples of
shuffled MNIST batches held in memory; inference: the 10,000 test images in batches of 1000
in eval mode after each pass. Prints medians with the range, like `bench`, so that the two
can be run one after the other and compared as ratios. Needs Debian's python3-torch.
"""
import argparse
import gzip
import statistics
import struct
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

EXAMPLES_PER_REPEAT = 6400
INFERENCE_BATCH_SIZE = 1000
DATA = Path(__file__).resolve().parents[2] / "data" / "mnist"


def idx(name):
    with gzip.open(DATA / name, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def mnist(images, labels):
    x = torch.from_numpy(idx(images).astype(np.float32) / 255.0).unsqueeze(1)
    return x, torch.from_numpy(idx(labels).astype(np.int64))


def dense(width_in, width_out, bn):
    if not bn:
        return [nn.Linear(width_in, width_out), nn.ReLU()]
    # bnlab's BN: Keras's defaults (momentum 0.99, epsilon 1e-3) before the activation.
    return [nn.Linear(width_in, width_out), nn.BatchNorm1d(width_out, eps=1e-3, momentum=0.01), nn.ReLU()]


def mlp(bn):
    layers = [nn.Flatten()]
    for width_in, width_out in [(784, 128), (128, 64), (64, 32)]:
        layers += dense(width_in, width_out, bn)
    return nn.Sequential(*layers, nn.Linear(32, 10))


def cnn_bn():
    def block(channels_in, channels_out):
        return [nn.Conv2d(channels_in, channels_out, 3), nn.BatchNorm2d(channels_out, eps=1e-3, momentum=0.01),
                nn.ReLU(), nn.MaxPool2d(2)]
    return nn.Sequential(*block(1, 32), *block(32, 64), nn.Flatten(), *dense(64 * 5 * 5, 64, True), nn.Linear(64, 10))


MODELS = {"mlp": lambda: mlp(False), "mlp_bn": lambda: mlp(True), "cnn_bn": cnn_bn}


def fit(model, optimizer, batches):
    model.train()
    loss_fn = nn.CrossEntropyLoss()
    start = time.perf_counter()
    for x, y in batches:
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()
    return sum(len(y) for _, y in batches) / (time.perf_counter() - start)


@torch.no_grad()
def infer(model, batches):
    model.eval()
    start = time.perf_counter()
    for x, _ in batches:
        model(x)
    return sum(len(y) for _, y in batches) / (time.perf_counter() - start)


def spread(values):
    return f"{statistics.median(values):.0f} [{min(values):.0f}-{max(values):.0f}]"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default="mlp,mlp_bn,cnn_bn")
    parser.add_argument("--batch-sizes", default="32,128")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    train_x, train_y = mnist("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
    test_x, test_y = mnist("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
    test = list(zip(test_x.split(INFERENCE_BATCH_SIZE), test_y.split(INFERENCE_BATCH_SIZE)))
    print(f"{'model':<8} {'batch':>5} {'how':<8} {'train examples/s [min-max]':>27} {'epoch s':>8} "
          f"{'infer examples/s [min-max]':>28}")
    for name in args.models.split(","):
        for batch_size in [int(b) for b in args.batch_sizes.split(",")]:
            order = torch.randperm(len(train_y))[:EXAMPLES_PER_REPEAT]
            train = [(train_x[i], train_y[i]) for i in order.split(batch_size)]
            model = MODELS[name]()
            optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
            fit(model, optimizer, train)
            infer(model, test)
            train_rates, infer_rates = [], []
            for _ in range(args.repeats):
                train_rates.append(fit(model, optimizer, train))
                infer_rates.append(infer(model, test))
            print(f"{name:<8} {batch_size:>5} {'pytorch':<8} {spread(train_rates):>27} "
                  f"{60000 / statistics.median(train_rates):>8.1f} {spread(infer_rates):>28}")


if __name__ == "__main__":
    main()
