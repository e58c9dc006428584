#!/usr/bin/env bash
# Wall time of a study on a Spark standalone cluster of 1 worker against 2 workers (one core each;
# master, workers and executors separate JVMs, lottery-spark-job/bin/spark-standalone), alternately
# REPEATS times so that drift on a shared machine hits both. Prints, per cluster: the whole
# spark-submit command (driver start, the job jar sent to the executors, executor JVMs, training,
# summary) and the Spark job alone (from the driver's log: tasks sent to all tasks finished).
#   lottery-bench/cluster-workers.sh [STUDY] [REPEATS] [OUT_DIR]
#   (defaults: lottery-examples/studies/cluster-8.json, 3, bench-results/cluster-workers)
# Build first: mvn -B -q package -DskipTests -pl lottery-spark-home,lottery-spark-job -am
set -euo pipefail
cd "$(dirname "$0")/.."
study=${1:-lottery-examples/studies/cluster-8.json}
repeats=${2:-3}
out=$(mkdir -p "${3:-bench-results/cluster-workers}" && cd "${3:-bench-results/cluster-workers}" && pwd)
cluster=(lottery-spark-job/bin/spark-standalone --dir "$out/cluster" --port 0 --ui-port 0)
trap '"${cluster[@]}" stop >/dev/null 2>&1 || true' EXIT

# seconds between two log lines' times (yy/MM/dd HH:mm:ss)
job_seconds() {
    /usr/bin/python3 - "$1" <<'PY'
import re, sys, datetime
lines = open(sys.argv[1]).read().splitlines()
def at(pattern):
    line = next(l for l in lines if re.search(pattern, l))
    return datetime.datetime.strptime(line[:17], "%y/%m/%d %H:%M:%S")
print(int((at(r"Spark tasks finished their run") - at(r"to run as Spark tasks")).total_seconds()))
PY
}

echo "repeat workers runs submit_seconds job_seconds" | tee "$out/times.txt"
for r in $(seq 1 "$repeats"); do
    for workers in 1 2; do
        "${cluster[@]}" start --workers "$workers" --cores 1 --memory 2g >/dev/null
        folder=$out/study-$workers-$r
        rm -rf "$folder"
        t0=$(date +%s.%N)
        "${cluster[@]}" submit study run "$study" --executor spark --out "$folder" >"$folder.log" 2>&1
        t1=$(date +%s.%N)
        "${cluster[@]}" stop >/dev/null
        runs=$(ls -d "$folder"/lottery_* | wc -l)
        echo "$r $workers $runs $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') $(job_seconds "$folder.log")" | tee -a "$out/times.txt"
    done
done
/usr/bin/python3 - "$out/times.txt" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1]).read().splitlines()[1:]]
for col, name in ((3, "submit"), (4, "job")):
    one = [float(r[col]) for r in rows if r[1] == "1"]
    two = [float(r[col]) for r in rows if r[1] == "2"]
    m1, m2 = statistics.median(one), statistics.median(two)
    print(f"{name:6}: 1 worker median {m1:.1f} s, 2 workers median {m2:.1f} s, speed-up {m1 / m2:.2f}x")
PY
