#!/usr/bin/env python3
"""Check lottery4j's 2:4 exports in PyTorch, and time 2:4 sparse against dense matrix multiplies.

Usage:
    python3 check_2to4_gpu.py out/2to4_lenet-300-100_<hash>/weights.safetensors \
        [--compressed out/2to4_lenet-300-100_<hash>/weights-2to4.safetensors] [--json results.json]

Always (CPU): reads the safetensors file (with the `safetensors` package when installed, else by
hand: 8-byte little-endian header length, JSON header, raw little-endian tensors), lists every
Linear ([out, in]) and Conv ([out, in, kH, kW]) weight and checks that each group of 4 along `in`
holds at most 2 non-zeros (exact zeros). With --compressed, decodes lottery4j's compressed 2:4 form
(`<name>_values` [rows, K/2], `<name>_indices` uint16 [rows, ceil(K/16)], 4 bits per group: i0 in
bits 0-1, i1 in bits 2-3; Conv rows are (out, kH, kW), K = in) and checks it equals the dense file.

On a CUDA GPU with compute capability >= 8.0 (Ampere, Ada, Hopper) and a PyTorch with
torch.sparse.to_sparse_semi_structured: converts each 2:4 weight (as an F.linear matrix: Linear
as is, Conv as [out, kH*kW*in], zero-padded to the shape the kernels need), checks that to_dense()
returns it exactly and that F.linear(x, sparse) is close to F.linear(x, dense), then times dense
against sparse F.linear for a few synthetic layer sizes with CUDA events. Anywhere else it says
that the GPU part was skipped and why.

Exit status: 0 when every check run passed, 1 when one failed, 2 for unusable input.
"""

import argparse
import json
import math
import os
import platform
import struct
import sys
import time

import torch
import torch.nn.functional as F

DTYPES = {
    "F64": torch.float64,
    "F32": torch.float32,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "I64": torch.int64,
    "I32": torch.int32,
    "I16": torch.int16,
    "U16": torch.int16,  # read as int16, widened to int32 and masked where used
    "I8": torch.int8,
    "U8": torch.uint8,
}


class InputError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# reading safetensors


def read_safetensors(path):
    """(tensors by name, metadata dict); the package when present, else the format read by hand."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise InputError(f"{path}: {len(raw)} bytes, too short for a safetensors file")
    (n,) = struct.unpack("<Q", raw[:8])
    if n > len(raw) - 8:
        raise InputError(f"{path}: header length {n} exceeds the file ({len(raw)} bytes)")
    try:
        header = json.loads(raw[8 : 8 + n].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"{path}: the header is not JSON: {e}") from e
    metadata = header.pop("__metadata__", {}) or {}
    tensors = None
    try:
        from safetensors.torch import load_file  # optional

        tensors = load_file(path)
        reader = "safetensors " + getattr(sys.modules.get("safetensors"), "__version__", "?")
    except ImportError:
        reader = "built-in reader (the safetensors package is not installed)"
    except Exception as e:  # for example U16 on a PyTorch older than 2.3
        reader = f"built-in reader (the safetensors package failed: {str(e).splitlines()[0]})"
    if tensors is None:
        data = bytearray(raw[8 + n :])  # writable, so torch.frombuffer does not warn
        tensors = {}
        for name, e in header.items():
            dtype = DTYPES.get(e["dtype"])
            if dtype is None:
                raise InputError(f"{path}: tensor {name} has unsupported dtype {e['dtype']}")
            begin, end = e["data_offsets"]
            count = math.prod(e["shape"])
            size = torch.empty((), dtype=dtype).element_size()
            if end - begin != count * size or end > len(data):
                raise InputError(f"{path}: tensor {name} {e['shape']} {e['dtype']} has offsets {begin}..{end}")
            t = torch.frombuffer(data, dtype=dtype, count=count, offset=begin) if count else torch.empty(0, dtype=dtype)
            if sys.byteorder != "little" and size > 1:
                raise InputError("big-endian hosts are not supported by the hand-written reader")
            tensors[name] = t.reshape(e["shape"]).clone()
    return tensors, metadata, {k: v["dtype"] for k, v in header.items()}, reader


def as_matrix(w):
    """A Linear weight as is; a Conv weight [out, in, kH, kW] as [out, kH*kW*in] (groups along in)."""
    if w.dim() == 2:
        return w
    return w.permute(0, 2, 3, 1).reshape(w.shape[0], -1)


def group_rows(w):
    """The weight as rows of 4 along `in`: Linear [out, in]; Conv permuted to [out, kH, kW, in]."""
    m = w if w.dim() == 2 else w.permute(0, 2, 3, 1)
    return m.reshape(-1, 4)


# ---------------------------------------------------------------------------------------------
# CPU checks


def check_file(path):
    tensors, metadata, dtypes, reader = read_safetensors(path)
    print(f"{path}: {len(tensors)} tensors, read with the {reader}")
    print(f"  metadata: sparsity_pattern={metadata.get('sparsity_pattern', '(none)')}, "
          f"skipped={metadata.get('sparsity_pattern_skipped', '(none)')}, producer={metadata.get('producer', '?')}")
    weights, rows = {}, []
    for name, t in tensors.items():
        if not name.endswith(".weight") or t.dim() not in (2, 4) or not t.is_floating_point():
            continue
        k = t.shape[1]
        if k % 4 != 0:
            rows.append(dict(name=name, shape=list(t.shape), dtype=dtypes[name], status="skipped",
                             why=f"in={k} is not a multiple of 4"))
            continue
        nz = (group_rows(t) != 0).sum(dim=1)
        bad = int((nz > 2).sum())
        density = float((t != 0).float().mean())
        rows.append(dict(name=name, shape=list(t.shape), dtype=dtypes[name], groups=int(nz.numel()),
                         violating_groups=bad, density=round(density, 4), status="2:4" if bad == 0 else "NOT 2:4"))
        if bad == 0:
            weights[name] = t
    print(f"  {'weight':<18} {'shape':<18} {'dtype':<5} {'groups':>8} {'>2 non-zeros':>12} {'density':>8}  status")
    for r in rows:
        print(f"  {r['name']:<18} {str(r['shape']):<18} {r['dtype']:<5} {r.get('groups', '-'):>8} "
              f"{r.get('violating_groups', '-'):>12} {r.get('density', '-'):>8}  {r['status']}"
              + (f" ({r['why']})" if "why" in r else ""))
    return tensors, weights, rows


def decode_compressed(values, indices, rows, k):
    """lottery4j's compressed 2:4 form back to the dense [rows, k] matrix."""
    groups = k // 4
    words = (k + 15) // 16
    idx = indices.reshape(rows, words).to(torch.int32) & 0xFFFF
    g = torch.arange(groups)
    codes = (idx[:, g // 4] >> (4 * (g % 4))) & 0xF  # [rows, groups]
    i0, i1 = codes & 3, codes >> 2
    if bool((i0 >= i1).any()):
        raise InputError("a group's positions are not increasing (i0 >= i1)")
    v = values.reshape(rows, groups, 2)
    dense = torch.zeros(rows, groups, 4, dtype=values.dtype)
    dense.scatter_(2, i0.unsqueeze(2).long(), v[:, :, :1])
    dense.scatter_(2, i1.unsqueeze(2).long(), v[:, :, 1:])
    return dense.reshape(rows, k)


def check_compressed(path, dense_tensors):
    tensors, metadata, _, reader = read_safetensors(path)
    shapes = json.loads(metadata.get("compressed_2_4", "{}"))
    print(f"{path}: {len(shapes)} compressed weights, read with the {reader}")
    results = []
    for name, shape in shapes.items():
        values, indices = tensors[name + "_values"], tensors[name + "_indices"]
        if len(shape) == 2:
            rows, k = shape
        else:
            rows, k = shape[0] * shape[2] * shape[3], shape[1]
        m = decode_compressed(values, indices, rows, k)
        w = m if len(shape) == 2 else m.reshape(shape[0], shape[2], shape[3], shape[1]).permute(0, 3, 1, 2)
        ref = dense_tensors.get(name)
        if ref is None:
            status, ok = "no dense tensor to compare", True
        else:
            ok = ref.dtype == w.dtype and tuple(ref.shape) == tuple(w.shape) and torch.equal(ref, w)
            status = "decodes exactly to the dense file" if ok else "DIFFERS from the dense file"
        bad = int(((group_rows(w) != 0).sum(dim=1) > 2).sum())
        ok = ok and bad == 0
        print(f"  {name:<18} {str(shape):<18} values {list(values.shape)} indices {list(indices.shape)}: {status}"
              + ("" if bad == 0 else f", {bad} groups with >2 non-zeros"))
        results.append(dict(name=name, shape=shape, ok=ok, status=status))
    return results


# ---------------------------------------------------------------------------------------------
# GPU checks


def gpu_unavailable_reason():
    if not hasattr(torch.sparse, "to_sparse_semi_structured"):
        return f"PyTorch {torch.__version__} has no torch.sparse.to_sparse_semi_structured (needs 2.1 or newer)"
    if not torch.cuda.is_available():
        built = "built without CUDA" if torch.version.cuda is None else f"CUDA {torch.version.cuda} build, but no GPU visible"
        return f"no CUDA device (PyTorch {torch.__version__}, {built})"
    cap = torch.cuda.get_device_capability()
    if cap < (8, 0):
        return (f"{torch.cuda.get_device_name()} has compute capability {cap[0]}.{cap[1]}; "
                "2:4 sparse tensor cores need 8.0 or newer (Ampere, Ada, Hopper)")
    return None


def shape_multiple(dtype):
    """(rows, cols) multiples a sparse weight needs: the least common multiple of every minimum that
    the installed PyTorch declares (its tables moved between 2.1 and 2.2), else (64, 128)."""
    import importlib

    try:
        mod = importlib.import_module("torch.sparse.semi_structured")
    except ImportError:
        return 64, 128
    rows, cols, found = 1, 1, False
    old = getattr(mod, "_DTYPE_TO_SEMI_STRUCTURED_SPARSE_CONFIG", {})  # PyTorch 2.1
    if dtype in old and hasattr(old[dtype], "min_rows"):
        rows, cols, found = math.lcm(rows, old[dtype].min_rows), math.lcm(cols, old[dtype].min_cols), True
    for cls_name in ("SparseSemiStructuredTensor", "SparseSemiStructuredTensorCUTLASS",
                     "SparseSemiStructuredTensorCUSPARSELT"):  # PyTorch 2.2 and later
        table = getattr(getattr(mod, cls_name, None), "_DTYPE_SHAPE_CONSTRAINTS", None) or {}
        c = table.get(dtype)
        if c is not None:
            rows = math.lcm(rows, c.sparse_min_rows, c.dense_min_rows)
            cols = math.lcm(cols, c.sparse_min_cols, c.dense_min_cols)
            found = True
    return (rows, cols) if found else (64, 128)


def pad_to(m, rows, cols):
    r = -m.shape[0] % rows
    c = -m.shape[1] % cols
    return F.pad(m, (0, c, 0, r)) if r or c else m


def prune_24(w):
    """Keeps the 2 largest magnitudes of each group of 4 along the rows."""
    g = w.reshape(-1, 4)
    keep = torch.zeros_like(g, dtype=torch.bool).scatter_(1, g.abs().topk(2, dim=1).indices, True)
    return (g * keep).reshape(w.shape)


def check_weights_gpu(weights, dtype, batch, rtol, atol, device="cuda"):
    to_sparse_semi_structured = torch.sparse.to_sparse_semi_structured

    mr, mc = shape_multiple(dtype)
    out = []
    for name, w in weights.items():
        m = as_matrix(w).to(device=device, dtype=dtype).contiguous()
        p = pad_to(m, mr, mc).contiguous()
        padded = tuple(p.shape) != tuple(m.shape)
        row = dict(name=name, matrix=list(m.shape), padded_to=list(p.shape) if padded else None)
        try:
            s = to_sparse_semi_structured(p)
        except Exception as e:  # shape or dtype the installed PyTorch does not take
            row.update(status="skipped", why=f"to_sparse_semi_structured: {e}".splitlines()[0])
            out.append(row)
            continue
        exact = torch.equal(s.to_dense(), p)
        torch.manual_seed(0)
        x = torch.randn(batch, p.shape[1], device=device, dtype=dtype)
        x[:, m.shape[1]:] = 0
        dense = F.linear(x, p)[:, : m.shape[0]].float()
        sparse = F.linear(x, s)[:, : m.shape[0]].float()
        err = (sparse - dense).abs().max().item()
        scale = dense.abs().max().item()
        close = err <= atol + rtol * scale
        row.update(round_trip_exact=exact, max_abs_diff=err, max_abs_dense=scale, linear_close=close,
                   status="ok" if exact and close else "FAILED")
        out.append(row)
    print(f"  {'weight':<18} {'matrix':<14} {'padded to':<14} {'to_dense exact':>14} {'max |diff|':>11} "
          f"{'max |dense|':>11}  status")
    for r in out:
        print(f"  {r['name']:<18} {str(r['matrix']):<14} {str(r['padded_to'] or '-'):<14} "
              f"{str(r.get('round_trip_exact', '-')):>14} {r.get('max_abs_diff', float('nan')):>11.3g} "
              f"{r.get('max_abs_dense', float('nan')):>11.3g}  {r['status']}" + (f" ({r['why']})" if "why" in r else ""))
    return out


def time_ms(fn, warmup, repeats):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(repeats):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    times.sort()
    return times[len(times) // 2]


def benchmark(sizes, batch, dtype, warmup, repeats):
    from torch.sparse import to_sparse_semi_structured

    out = []
    torch.manual_seed(0)
    for n_out, n_in in sizes:
        w = prune_24(torch.randn(n_out, n_in, device="cuda", dtype=dtype))
        s = to_sparse_semi_structured(w)
        x = torch.randn(batch, n_in, device="cuda", dtype=dtype)
        dense_ms = time_ms(lambda: F.linear(x, w), warmup, repeats)
        sparse_ms = time_ms(lambda: F.linear(x, s), warmup, repeats)
        flops = 2.0 * batch * n_out * n_in
        out.append(dict(out_features=n_out, in_features=n_in, batch=batch, dense_ms=dense_ms, sparse_ms=sparse_ms,
                        speedup=dense_ms / sparse_ms, dense_tflops=flops / dense_ms / 1e9))
    print(f"  {'weight [out, in]':<16} {'batch':>6} {'dense ms':>9} {'2:4 ms':>9} {'speedup':>8} {'dense TFLOP/s':>14}")
    for r in out:
        print(f"  {str([r['out_features'], r['in_features']]):<16} {r['batch']:>6} {r['dense_ms']:>9.3f} "
              f"{r['sparse_ms']:>9.3f} {r['speedup']:>7.2f}x {r['dense_tflops']:>14.1f}")
    return out


# ---------------------------------------------------------------------------------------------


def parse_sizes(text):
    sizes = []
    for part in text.split(","):
        try:
            o, i = part.lower().split("x")
            sizes.append((int(o), int(i)))
        except ValueError:
            raise argparse.ArgumentTypeError(f"--sizes: expected OUTxIN[,OUTxIN...], got '{part}'")
    return sizes


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("weights", help="weights.safetensors written by lottery4j (F16 preferred)")
    ap.add_argument("--compressed", help="weights-2to4.safetensors: check it decodes to WEIGHTS")
    ap.add_argument("--json", help="where to write the results (default: check_2to4_gpu.json beside WEIGHTS)")
    ap.add_argument("--dtype", choices=["f16", "bf16"], default="f16", help="GPU type (default: f16)")
    ap.add_argument("--sizes", type=parse_sizes, default=parse_sizes("4096x4096,8192x8192,16384x4096"),
                    help="synthetic layers OUTxIN to time (default: 4096x4096,8192x8192,16384x4096)")
    ap.add_argument("--batch", type=int, default=4096, help="rows of x for the timings (default: 4096)")
    ap.add_argument("--check-batch", type=int, default=128, help="rows of x for the F.linear checks (default: 128)")
    ap.add_argument("--rtol", type=float, default=1e-2, help="F.linear tolerance, relative to max |dense|")
    ap.add_argument("--atol", type=float, default=1e-3, help="F.linear absolute tolerance")
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--repeats", type=int, default=50)
    ap.add_argument("--no-benchmark", action="store_true", help="skip the synthetic timings")
    args = ap.parse_args(argv)

    report = dict(weights=args.weights, torch=torch.__version__, python=platform.python_version(),
                  machine=platform.platform(), started=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    try:
        tensors, weights, rows = check_file(args.weights)
        report["weights_checked"] = rows
        ok = all(r["status"] != "NOT 2:4" for r in rows) and bool(weights)
        if not weights:
            print("  no 2:4 weight in this file")
        if args.compressed:
            comp = check_compressed(args.compressed, tensors)
            report["compressed"] = comp
            ok = ok and all(r["ok"] for r in comp)
    except (InputError, OSError, KeyError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    reason = gpu_unavailable_reason()
    if reason:
        print(f"GPU part skipped: {reason}.")
        print("CPU checks only: file layout, at most 2 non-zeros in every group of 4"
              + (", compressed form decoding to the dense weights." if args.compressed else "."))
        report["gpu"] = dict(skipped=reason)
    else:
        dtype = torch.float16 if args.dtype == "f16" else torch.bfloat16
        props = torch.cuda.get_device_properties(0)
        print(f"GPU: {props.name}, compute capability {props.major}.{props.minor}, CUDA {torch.version.cuda}, "
              f"{args.dtype}")
        print("to_sparse_semi_structured on the file's 2:4 weights:")
        checks = check_weights_gpu(weights, dtype, args.check_batch, args.rtol, args.atol)
        ok = ok and all(r["status"] != "FAILED" for r in checks)
        gpu = dict(device=props.name, capability=f"{props.major}.{props.minor}", cuda=torch.version.cuda,
                   dtype=args.dtype, weights=checks)
        if not args.no_benchmark:
            print(f"dense vs 2:4 sparse F.linear, median of {args.repeats} (CUDA events):")
            gpu["timings"] = benchmark(args.sizes, args.batch, dtype, args.warmup, args.repeats)
        report["gpu"] = gpu

    report["ok"] = ok
    target = args.json or os.path.join(os.path.dirname(os.path.abspath(args.weights)), "check_2to4_gpu.json")
    with open(target + ".tmp", "w") as f:
        json.dump(report, f, indent=2)
    os.replace(target + ".tmp", target)
    print(("all checks passed" if ok else "CHECKS FAILED") + f"; results in {target}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
