"""Do the machine's cores scale? The same single-threaded work alone, then as two processes side by side.

Two kinds of work: a pure-Python integer loop, and numpy's float32 matrix product at LeNet-300-100's
first layer (60x784 times 784x300, one BLAS thread). Prints the seconds of each and their ratio:
near 1.0 when two processes run as fast as one (the cores are independent for that work).

    python3 lottery-bench/python/cores.py
"""
import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

import multiprocessing as mp  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402


def loop(_=None):
    t = time.perf_counter()
    x = 0
    for i in range(30_000_000):
        x += i * i
    return time.perf_counter() - t


def sgemm(_=None):
    rng = np.random.default_rng(0)
    a = rng.random((60, 784), dtype=np.float32)
    w = rng.random((784, 300), dtype=np.float32)
    t = time.perf_counter()
    for _ in range(20_000):
        a @ w
    return time.perf_counter() - t


if __name__ == "__main__":
    for name, work in (("python loop", loop), ("numpy sgemm 60x784x300", sgemm)):
        alone = work()
        with mp.get_context("spawn").Pool(2) as pool:
            pair = pool.map(work, [0, 1])
        print(f"{name}: alone {alone:.2f} s; two side by side {pair[0]:.2f} s and {pair[1]:.2f} s "
              f"(slowdown {max(pair) / alone:.2f}x)")
