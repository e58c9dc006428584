#!/usr/bin/env bash
# The default grokking run's full-batch step, lottery4j (DL4J) against PyTorch, in one run:
# alternately twice, one thread each; the Java side also reports where a run's time goes (decay,
# evaluations, Fourier measures, a whole 3,000-step run). Needs the built bench jar and Debian's
# python3-torch (python/README.md).
#   lottery-bench/compare-pytorch-grokking.sh [OUT_DIR]     (default bench-results/)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench-results}
mkdir -p "$out"
jar=lottery-bench/target/lottery-bench.jar
for run in 1 2; do
  OMP_NUM_THREADS=1 java -cp "$jar" org.lottery4j.bench.GrokkingStepBenchmark --threads 1 --json "$out/grokking-dl4j-$run.json" >/dev/null
  OMP_NUM_THREADS=1 /usr/bin/python3 lottery-bench/python/grokking_torch.py --threads 1 --json "$out/grokking-torch-$run.json" >/dev/null
done
/usr/bin/python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
print("run  dl4j step ms  (no decay)  torch step ms  dl4j/torch  eval ms x points  fourier s  fourier share  run ms/step")
for run in (1, 2):
    j = json.load(open(f"{out}/grokking-dl4j-{run}.json"))
    t = json.load(open(f"{out}/grokking-torch-{run}.json"))
    print(f"{run:3}  {j['step_ms_median']:12.1f}  {j['step_ms_median_no_decay']:10.1f}  {t['step_ms_median']:13.1f}"
          f"  {j['step_ms_median'] / t['step_ms_median']:10.2f}  {j['evaluation_ms_median']:7.1f} x {j['evaluations_per_run']:3}"
          f"  {j['run_fourier_seconds']:9.1f}  {100 * j['run_fourier_share']:12.1f}%  {j['run_ms_per_step']:11.1f}")
PY
