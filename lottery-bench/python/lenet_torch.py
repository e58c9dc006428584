#!/usr/bin/env python3
"""PyTorch peer of the lottery4j LeNet-300-100 benchmark.

Trains LeNet-300-100 on the 10k MNIST subset bundled with lottery-examples,
dense and/or with 80% of every Linear weight masked via torch.nn.utils.prune
(the way a PyTorch user would do lottery-ticket pruning), and prints per-epoch
training times as JSON so they can be set beside the Java figures.
"""
import argparse
import gzip
import json
import os
import re
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.nn.utils import prune

from blas import openblas  # beside this file

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "..", "lottery-examples", "src", "main", "resources",
                            "org", "lottery4j", "examples", "mnist-10k")
SEED = 42
SPARSITY = 0.8  # same sparsity as the Java benchmark


def read_idx(path):
    # IDX header: 2 zero bytes, dtype code, ndim, then ndim big-endian int32 sizes.
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load(data_dir, split):
    x = read_idx(os.path.join(data_dir, f"{split}-images-idx3-ubyte.gz"))
    y = read_idx(os.path.join(data_dir, f"{split}-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(x.reshape(len(x), -1).astype(np.float32) / 255.0)
    return x, torch.from_numpy(y.astype(np.int64))


def blas_info():
    torch.ones(64, 64) @ torch.ones(64, 64)  # make sure BLAS is loaded before looking
    with open("/proc/self/maps") as maps:  # Linux only; the truth about what got loaded
        loaded = sorted({os.path.realpath(l.split()[-1]) for l in maps
                         if "blas" in l or "lapack" in l or "mkl" in l})
    build = re.findall(r"BLAS_INFO=\w+", torch.__config__.show())  # "generic" = system libblas.so.3
    np_info = getattr(np.__config__, "get_info", lambda _: {})("blas_opt_info")  # numpy < 1.26
    lib = openblas()
    return {"torch_build": ", ".join(build) or None,
            "numpy_build": np_info.get("libraries"),
            "loaded_libraries": loaded,
            "openblas_config": lib.openblas_get_config().decode() if lib else None,
            "openblas_threads": lib.openblas_get_num_threads() if lib else None}


def print_json(result, path):
    """Prints the result as JSON and, given a path, writes it there too."""
    text = json.dumps(result, indent=2)
    print(text)
    if path:
        with open(path, "w") as f:
            f.write(text + "\n")


def lenet():
    return nn.Sequential(nn.Linear(784, 300), nn.ReLU(),
                         nn.Linear(300, 100), nn.ReLU(),
                         nn.Linear(100, 10))


def run(mode, train, test, epochs):
    torch.manual_seed(SEED)  # same initial weights for dense and masked
    model = lenet()
    if mode == "masked":
        # Registers weight_orig + weight_mask and a pre-hook that recomputes
        # weight = weight_orig * weight_mask in every forward pass.
        for m in model:
            if isinstance(m, nn.Linear):
                prune.l1_unstructured(m, "weight", amount=SPARSITY)
    # Optimizer after pruning: its parameters are then weight_orig, not weight.
    opt = torch.optim.Adam(model.parameters(), lr=1.2e-3)
    loss_fn = nn.CrossEntropyLoss()
    x, y = train
    gen = torch.Generator().manual_seed(SEED)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        model.train()
        perm = torch.randperm(len(x), generator=gen)
        for i in range(0, len(x), 60):
            idx = perm[i:i + 60]
            opt.zero_grad(set_to_none=True)
            loss_fn(model(x[idx]), y[idx]).backward()
            opt.step()
        times.append(time.perf_counter() - start)
    model.eval()
    with torch.no_grad():
        accuracy = (model(test[0]).argmax(1) == test[1]).float().mean().item()
    counted = times[1:]  # first epoch is warm-up
    return {"epoch_seconds_warmup": round(times[0], 4),
            "epoch_seconds": [round(t, 4) for t in counted],
            "median_epoch_seconds": round(statistics.median(counted), 4),
            "test_accuracy": round(accuracy, 4)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=DEFAULT_DATA, help="directory with the IDX .gz files")
    ap.add_argument("--mode", choices=["dense", "masked", "both"], default="both")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=6, help="including one warm-up epoch")
    ap.add_argument("--json", help="also write the result to this file")
    args = ap.parse_args()
    if args.epochs < 2:
        ap.error("--epochs must be at least 2 (the first is warm-up)")

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    # torch.set_num_threads does not reach a non-MKL BLAS: OpenBLAS keeps its own
    # pool sized from OPENBLAS_NUM_THREADS/OMP_NUM_THREADS or the core count.
    lib = openblas()
    if lib:
        lib.openblas_set_num_threads(args.threads)

    train, test = load(args.data, "train"), load(args.data, "t10k")
    modes = ["dense", "masked"] if args.mode == "both" else [args.mode]
    result = {"torch": torch.__version__, "numpy": np.__version__,
              "python": sys.version.split()[0], "blas": blas_info(),
              "threads": torch.get_num_threads(), "train_size": len(train[0]),
              "test_size": len(test[0]), "batch": 60, "sparsity": SPARSITY,
              "epochs_counted": args.epochs - 1}
    result.update({mode: run(mode, train, test, args.epochs) for mode in modes})
    print_json(result, args.json)


if __name__ == "__main__":
    main()
