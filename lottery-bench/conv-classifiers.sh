#!/usr/bin/env bash
# ConvBenchmark once per nd4j-native build (Maven classifier) of ND4J 1.0.0-M2.1: a process loads one
# native build, so each classifier runs in its own JVM, with its jar from the local Maven repository
# next to the bench jar and JavaCPP told to load that build (the bench jar itself carries the avx2
# one). The classifiers take turns, ROUNDS times, so drift on a shared machine hits all of them; ratios
# across processes are noisier than those within one ConvBenchmark run. Fetch the jars first, e.g.
#   mvn dependency:get -Dartifact=org.nd4j:nd4j-native:1.0.0-M2.1:jar:linux-x86_64-onednn-avx2
# Usage: lottery-bench/conv-classifiers.sh [OUT_DIR] [MODEL] [ROUNDS] [ARMS]
#   (defaults: bench-results conv2 2 base; the other arguments go to ConvBenchmark)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench-results}
model=${2:-conv2}
rounds=${3:-2}
arms=${4:-base}
mkdir -p "$out"
jar=lottery-bench/target/lottery-bench.jar
repo=${MAVEN_REPO:-$HOME/.m2/repository}/org/nd4j/nd4j-native/1.0.0-M2.1
classifiers=${CLASSIFIERS:-"linux-x86_64 linux-x86_64-avx2 linux-x86_64-avx512 linux-x86_64-onednn linux-x86_64-onednn-avx2 linux-x86_64-onednn-avx512"}
for run in $(seq "$rounds"); do
  for c in $classifiers; do
    native="$repo/nd4j-native-1.0.0-M2.1-$c.jar"
    [[ -f "$native" ]] || { echo "missing $native: mvn dependency:get -Dartifact=org.nd4j:nd4j-native:1.0.0-M2.1:jar:$c" >&2; exit 2; }
    ext=${c#linux-x86_64}
    java -Dorg.eclipse.deeplearning4j.helpers.disable=false -Dorg.bytedeco.javacpp.platform.extension="$ext" -cp "$native:$jar" org.lottery4j.bench.ConvBenchmark \
      --model "$model" --arms "$arms" --steps 4 --rounds 3 --json "$out/conv-$model-$c-$run.json" >/dev/null 2>"$out/conv-$model-$c-$run.log"
  done
done
/usr/bin/python3 - "$out" "$model" "$rounds" $classifiers <<'PY'
import json, statistics, sys
out, model, rounds, classifiers = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
print(f"{'classifier':28} {'loaded':34} " + "  ".join(f"run {r} ms/step" for r in range(1, rounds + 1)))
for c in classifiers:
    runs = [json.load(open(f"{out}/conv-{model}-{c}-{r}.json")) for r in range(1, rounds + 1)]
    loaded = [l.split("/")[-2] for l in runs[0]["native_libraries"] if l.endswith("libnd4jcpu.so")]
    steps = [next(iter(j["configurations"].values()))["median_ms_per_step"] for j in runs]
    print(f"{c:28} {','.join(loaded):34} " + "  ".join(f"{s:14.1f}" for s in steps))
PY
