"""The default grokking run's network in PyTorch, for lottery4j's GrokkingStepBenchmark: the
quadratic MLP of Gromov (2023) on (a + b) mod 97, one-hot a and b (194 inputs) to 500 units squared
to 97 outputs, no biases, MSE on one-hot targets, AdamW (lr 3e-3, betas 0.9 and 0.98, weight decay
1), full batch of 25% of the 9,409 pairs. Prints the median full-batch step in milliseconds as JSON.

    OMP_NUM_THREADS=1 /usr/bin/python3 lottery-bench/python/grokking_torch.py --threads 1 --timed-steps 200
"""
import argparse
import json
import time

import torch

from blas import openblas


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--timed-steps", type=int, default=200)
    parser.add_argument("--json")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    lib = openblas()  # torch.set_num_threads does not reach OpenBLAS's own pool
    if lib:
        lib.openblas_set_num_threads(args.threads)
    torch.manual_seed(1)
    p, width = 97, 500
    pairs = torch.randperm(p * p)[: round(0.25 * p * p)]
    a, b = pairs // p, pairs % p
    x = torch.zeros(len(pairs), 2 * p)
    x[torch.arange(len(pairs)), a] = 1
    x[torch.arange(len(pairs)), p + b] = 1
    y = torch.nn.functional.one_hot((a + b) % p, p).float()
    hidden = torch.nn.Linear(2 * p, width, bias=False)
    output = torch.nn.Linear(width, p, bias=False)
    params = list(hidden.parameters()) + list(output.parameters())
    opt = torch.optim.AdamW(params, lr=3e-3, betas=(0.9, 0.98), weight_decay=1.0)

    def step():
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(output(hidden(x) ** 2), y)
        loss.backward()
        opt.step()

    for _ in range(20):
        step()
    times = []
    for _ in range(args.timed_steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    result = {"threads": args.threads, "timed_steps": args.timed_steps, "step_ms_median": times[len(times) // 2],
              "torch": torch.__version__,
              "openblas": lib.openblas_get_config().decode() if lib else None}
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
