#!/usr/bin/env bash
# lottery4j (DL4J) against PyTorch + torch.nn.utils.prune: LeNet-300-100 epochs on the 8,000 bundled
# digits (Adam, batch 60), one thread each, run alternately twice so that drift on a shared machine
# hits both. Needs the built bench jar and Debian's python3-torch with OpenBLAS (python/README.md).
#   lottery-bench/compare-pytorch.sh [OUT_DIR]     (default bench-results/)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench-results}
mkdir -p "$out"
jar=lottery-bench/target/lottery-bench.jar
for run in 1 2; do
  OMP_NUM_THREADS=1 java -cp "$jar" org.lottery4j.bench.EpochBenchmark --epochs 6 --json "$out/epoch-dl4j-$run.json" >/dev/null
  OMP_NUM_THREADS=1 /usr/bin/python3 lottery-bench/python/lenet_torch.py --threads 1 --epochs 7 --json "$out/epoch-torch-$run.json" >/dev/null
done
/usr/bin/python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
print("run  dl4j dense  dl4j masked  torch dense  torch masked  dl4j/torch dense  dl4j/torch masked")
for run in (1, 2):
    j = json.load(open(f"{out}/epoch-dl4j-{run}.json"))
    t = json.load(open(f"{out}/epoch-torch-{run}.json"))
    jd, jm = j["dense_median_seconds"], j["masked_median_seconds"]
    td, tm = t["dense"]["median_epoch_seconds"], t["masked"]["median_epoch_seconds"]
    print(f"{run:3}  {jd:10.3f}  {jm:11.3f}  {td:11.3f}  {tm:12.3f}  {jd / td:16.2f}  {jm / tm:17.2f}")
PY
