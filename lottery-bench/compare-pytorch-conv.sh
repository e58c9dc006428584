#!/usr/bin/env bash
# lottery4j (DL4J) against PyTorch on convnet training steps: Conv-2 and the examples' small convnet on
# the bundled digits (Adam, batch 60), one thread each, DL4J and PyTorch run alternately twice so that
# drift on a shared machine hits both. DL4J runs twice per turn: with the linux-x86_64-avx2 build and
# DL4J's helpers off (the examples' configuration before they moved to oneDNN: im2col, cache mode
# DEVICE; fetch it first: mvn dependency:get -Dartifact=org.nd4j:nd4j-native:1.0.0-M2.1:jar:linux-x86_64-avx2)
# and with the bench jar's own build, linux-x86_64-onednn-avx2, and DL4J's oneDNN layer helpers on
# (as the examples run now).
# Needs the built bench jar and Debian's python3-torch (python/README.md).
#   lottery-bench/compare-pytorch-conv.sh [OUT_DIR]     (default bench-results/)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench-results}
mkdir -p "$out"
out=$(cd "$out" && pwd) # absolute: the PyTorch run works from lottery-bench/python
jar=lottery-bench/target/lottery-bench.jar
avx2=${MAVEN_REPO:-$HOME/.m2/repository}/org/nd4j/nd4j-native/1.0.0-M2.1/nd4j-native-1.0.0-M2.1-linux-x86_64-avx2.jar
helpers=-Dorg.eclipse.deeplearning4j.helpers.disable=false
for model in conv2 convnet; do
  if [[ $model == conv2 ]]; then steps=2; tsteps=4; else steps=10; tsteps=20; fi
  for run in 1 2; do
    # the examples before oneDNN: avx2 build, DL4J's helpers off (M2.1's default), cache mode DEVICE
    OMP_NUM_THREADS=1 java -Dorg.eclipse.deeplearning4j.helpers.disable=true -Dorg.bytedeco.javacpp.platform.extension=-avx2 \
      -cp "$avx2:$jar" org.lottery4j.bench.ConvBenchmark --model $model --arms cache_device \
      --steps $steps --rounds 3 --json "$out/cmp-$model-dl4j-avx2-$run.json" >/dev/null 2>&1
    # the examples now: onednn-avx2 build (the jar's own), DL4J's oneDNN helpers on
    OMP_NUM_THREADS=1 java $helpers -cp "$jar" \
      org.lottery4j.bench.ConvBenchmark --model $model --arms base --steps $steps --rounds 3 \
      --json "$out/cmp-$model-dl4j-onednn-$run.json" >/dev/null 2>&1
    (cd lottery-bench/python && OMP_NUM_THREADS=1 /usr/bin/python3 conv_torch.py --model $model --threads 1 \
      --steps $tsteps --rounds 3 --json "$out/cmp-$model-torch-$run.json" >/dev/null)
  done
done
/usr/bin/python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
def dl4j(path):
    arm = next(iter(json.load(open(path))["configurations"].values()))
    return arm["median_ms_per_step"], arm["epoch_seconds"]
print("model    run  DL4J avx2 ms/step (epoch s)  DL4J onednn-avx2 ms/step (epoch s)  PyTorch ms/step (epoch s)  avx2/torch  onednn/torch")
for model in ("conv2", "convnet"):
    for run in (1, 2):
        a = dl4j(f"{out}/cmp-{model}-dl4j-avx2-{run}.json")
        o = dl4j(f"{out}/cmp-{model}-dl4j-onednn-{run}.json")
        t = json.load(open(f"{out}/cmp-{model}-torch-{run}.json"))
        t = t["median_ms_per_step"], t["epoch_seconds"]
        print(f"{model:8} {run:3}  {a[0]:10.1f} ({a[1]:7.2f})          {o[0]:10.1f} ({o[1]:7.2f})             "
              f"{t[0]:8.1f} ({t[1]:7.2f})   {a[0] / t[0]:9.2f}  {o[0] / t[0]:11.2f}")
PY
