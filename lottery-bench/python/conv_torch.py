#!/usr/bin/env python3
"""PyTorch peer of the lottery4j ConvBenchmark.

Trains Conv-2 (Frankle and Carbin 2019: two 3x3 convolutions of 64 filters, padding 1, ReLU, 2x2
max-pooling, then 256-256-10; Adam 2e-4) or the examples' small convnet (5x5 1->8, pool, 5x5 8->16,
pool, 64, 10; Adam 1.2e-3) on the 10k MNIST digits bundled with lottery-examples, in blocks of
--steps steps of batch --batch, and prints the milliseconds per step (median over the blocks after
one warm-up block) and the seconds of an 8,000-digit epoch they imply, as JSON.
"""
import argparse
import math
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn

import lenet_torch  # same data loading and BLAS set-up as the LeNet comparison

EPOCH_DIGITS = 8000


def conv2():
    return nn.Sequential(nn.Conv2d(1, 64, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(64 * 14 * 14, 256), nn.ReLU(),
                         nn.Linear(256, 256), nn.ReLU(),
                         nn.Linear(256, 10))


def convnet():
    return nn.Sequential(nn.Conv2d(1, 8, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(8, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(16 * 4 * 4, 64), nn.ReLU(),
                         nn.Linear(64, 10))


MODELS = {"conv2": (conv2, 2e-4), "convnet": (convnet, 1.2e-3)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=lenet_torch.DEFAULT_DATA, help="directory with the IDX .gz files")
    ap.add_argument("--model", choices=sorted(MODELS), default="conv2")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=60)
    ap.add_argument("--steps", type=int, default=5, help="steps per timed block")
    ap.add_argument("--rounds", type=int, default=5, help="timed blocks, after one warm-up block")
    ap.add_argument("--json", help="also write the result to this file")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    lib = lenet_torch.openblas()
    if lib:
        lib.openblas_set_num_threads(args.threads)
    x, y = lenet_torch.load(args.data, "train")
    x = x.reshape(-1, 1, 28, 28)

    build, rate = MODELS[args.model]
    torch.manual_seed(lenet_torch.SEED)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=rate)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(lenet_torch.SEED)
    perm = torch.randperm(len(x), generator=gen)
    batches = len(x) // args.batch
    ms, step = [], 0
    model.train()
    for r in range(args.rounds + 1):
        start = time.perf_counter()
        for _ in range(args.steps):
            idx = perm[(step % batches) * args.batch:(step % batches + 1) * args.batch]
            step += 1
            opt.zero_grad(set_to_none=True)
            loss_fn(model(x[idx]), y[idx]).backward()
            opt.step()
        if r > 0:  # the first block is warm-up
            ms.append((time.perf_counter() - start) * 1e3 / args.steps)
    median = statistics.median(ms)
    result = {"torch": torch.__version__, "numpy": np.__version__, "python": sys.version.split()[0],
              "blas": lenet_torch.blas_info(), "threads": torch.get_num_threads(), "model": args.model,
              "batch": args.batch, "steps_per_block": args.steps,
              "ms_per_step": [round(m, 2) for m in ms], "median_ms_per_step": round(median, 2),
              "min_ms_per_step": round(min(ms), 2),
              "epoch_seconds": round(median * math.ceil(EPOCH_DIGITS / args.batch) / 1e3, 3)}
    lenet_torch.print_json(result, args.json)


if __name__ == "__main__":
    main()
