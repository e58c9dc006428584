#!/usr/bin/env python3
"""Reads a ResNet-20 export of lottery4j into PyTorch and measures its test accuracy.

The folder is what `mnist-2to4 --model resnet20` or `export --pattern 2:4` writes:
`weights.safetensors` (dense, PyTorch names) and `weights-2to4.safetensors` (2:4 weights
compressed). Each file is read with a safetensors reader of its own (PyTorch 1.13 ships none; the
format is 8 bytes of header length, a JSON header, raw little-endian data), the compressed weights
are decoded (layout: org.lottery4j.sparsity.Compressed24), the 2:4 pattern is checked, and the
network runs in torch.nn.functional on the bundled MNIST test digits. Prints JSON: accuracy of
each file, whether both give the same predictions, and the accuracy results.json reports.

    /usr/bin/python3 lottery-bench/python/check_resnet20_export.py out/2to4_resnet20_<hash>
"""
import argparse
import gzip
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

DTYPES = {"F32": np.float32, "F16": np.float16, "U16": np.uint16}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    body = data[8 + n:]
    tensors = {}
    for name, t in header.items():
        start, end = t["data_offsets"]
        raw = body[start:end]
        if t["dtype"] == "BF16":
            words = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
            array = words.view(np.float32)
        else:
            array = np.frombuffer(raw, dtype=np.dtype(DTYPES[t["dtype"]]).newbyteorder("<"))
        tensors[name] = array.reshape(t["shape"])
    return tensors, meta


def decode_24(values, indices, rows, k):
    """Dense [rows, k] from the kept values [rows, k/2] and 2-bit positions in U16 words [rows, ceil(k/16)]."""
    dense = np.zeros((rows, k), dtype=np.float32)
    values = values.astype(np.float32).reshape(rows, k // 2)
    indices = indices.reshape(rows, -1)
    for g in range(k // 4):
        code = (indices[:, g // 4] >> (4 * (g % 4))) & 0xF
        i0 = code & 0x3
        i1 = (code >> 2) & 0x3
        r = np.arange(rows)
        dense[r, 4 * g + i0] = values[:, 2 * g]
        dense[r, 4 * g + i1] = values[:, 2 * g + 1]
    return dense


def dense_weights(path):
    tensors, meta = read_safetensors(path)
    shapes = json.loads(meta.get("compressed_2_4", "{}"))
    out = {}
    for name, t in tensors.items():
        if name.endswith(".weight_values") or name.endswith(".weight_indices"):
            continue
        out[name] = torch.from_numpy(t.astype(np.float32))
    for name, shape in shapes.items():
        base = name[: -len(".weight")]
        values = tensors[base + ".weight_values"]
        indices = tensors[base + ".weight_indices"]
        if len(shape) == 2:  # Linear [out, in]: rows out, k in
            w = decode_24(values, indices, shape[0], shape[1])
        else:  # Conv [out, in, kH, kW] taken as [out, kH, kW, in]
            o, i, kh, kw = shape
            w = decode_24(values, indices, o * kh * kw, i).reshape(o, kh, kw, i).transpose(0, 3, 1, 2)
        out[name] = torch.from_numpy(np.ascontiguousarray(w))
    return out, meta


def two_four(w):
    """Whether every group of 4 along the reduction dimension (Linear: in; Conv: in channels) has at most 2 non-zeros."""
    x = w.permute(0, 2, 3, 1) if w.dim() == 4 else w
    if x.shape[-1] % 4:
        return None
    return bool(((x.reshape(-1, 4) != 0).sum(dim=1) <= 2).all())


def same_pad(x, k, stride):
    """DL4J's ConvolutionMode.Same (ONNX SAME_UPPER): the extra padding row/column goes at the end."""
    h, w = x.shape[2], x.shape[3]
    pads = []
    for size in (w, h):
        out = -(-size // stride)
        total = max(0, (out - 1) * stride + k - size)
        pads += [total // 2, total - total // 2]
    return F.pad(x, pads)


def conv_bn(x, p, conv, bn, stride):
    w = p[conv + ".weight"]
    x = F.conv2d(same_pad(x, w.shape[2], stride), w, stride=stride)
    return F.batch_norm(x, p[bn + ".running_mean"], p[bn + ".running_var"], p[bn + ".weight"], p[bn + ".bias"],
                        training=False, eps=1e-5)


def resnet20(x, p):
    x = F.relu(conv_bn(x, p, "conv1", "bn1", 1))
    for s in range(1, 4):
        for b in range(1, 4):
            n = f"s{s}b{b}"
            stride = 2 if s > 1 and b == 1 else 1
            y = F.relu(conv_bn(x, p, n + "_conv1", n + "_bn1", stride))
            y = conv_bn(y, p, n + "_conv2", n + "_bn2", 1)
            shortcut = conv_bn(x, p, n + "_proj", n + "_proj_bn", 2) if n + "_proj.weight" in p else x
            x = F.relu(y + shortcut)
    x = x.mean(dim=(2, 3))
    return F.softmax(F.linear(x, p["output.weight"], p["output.bias"]), dim=1)


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder")
    ap.add_argument("--data", default="lottery-examples/src/main/resources/org/lottery4j/examples/mnist-10k",
                    help="folder of the IDX .gz files (default: the bundled digits)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    images = read_idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz")).astype(np.int64)
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    result = {"folder": args.folder, "test_digits": len(labels), "torch": torch.__version__}
    predictions = {}
    for name in ("weights.safetensors", "weights-2to4.safetensors"):
        path = os.path.join(args.folder, name)
        if not os.path.exists(path):
            continue
        p, meta = dense_weights(path)
        with torch.no_grad():
            pred = resnet20(x, p).argmax(dim=1).numpy()
        predictions[name] = pred
        checks = {k: two_four(w) for k, w in p.items() if k.endswith(".weight") and w.dim() in (2, 4)}
        result[name] = {
            "accuracy": float((pred == labels).mean()),
            "weights_2_4": sum(1 for v in checks.values() if v),
            "weights_not_2_4": sorted(k for k, v in checks.items() if v is False),
            "weights_not_tiled": sorted(k for k, v in checks.items() if v is None),
            "skipped_by_export": meta.get("sparsity_pattern_skipped", ""),
        }
    if len(predictions) == 2:
        a, b = predictions.values()
        result["same_predictions"] = bool((a == b).all())
    results = os.path.join(args.folder, "results.json")
    if os.path.exists(results):
        with open(results) as f:
            r = json.load(f)
        result["reported_accuracy"] = r.get("fineTunedAccuracy", r.get("fine_tuned_accuracy"))
    print(json.dumps(result, indent=2))
    ok = all(not result[n]["weights_not_2_4"] for n in predictions)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
