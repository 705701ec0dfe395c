#!/usr/bin/env bash
# Scaling of the Ray driver (issue 15) against plain ingest, on this machine:
#
#   bench/ray_scaling.sh [COPIES]        # default 6: the corpus's 4 scans × 6 = 24 files, 36 pages
#
# Runs, each into fresh folders, timed (wall and CPU of everything started, GNU time):
#   plain `vanban ingest --jobs 1` and `--jobs 2`;
#   the Ray driver (deploy/ray/driver.py, BATCH files a task, default 12) on a one-node Ray
#   cluster started here with 1 CPU, then with 2 CPUs (1 and 2 worker processes), the
#   index build included.
# Prints pages/s of each, and the driver's overhead per file: (Ray wall − plain wall at
# the same parallelism) / files. Needs Ray in VANBAN_RAY_VENV (default /opt/vanban-ray;
# scripts/setup.sh installs it). The cluster is stopped by killing its own processes.
set -euo pipefail

copies=${1:-6}
batch=${BATCH:-12}
root="$(cd "$(dirname "$0")/.." && pwd)"
vanban="${VANBAN:-$root/target/release/vanban}"
venv="${VANBAN_RAY_VENV:-/opt/vanban-ray}"
[ -x "$vanban" ] || { echo "build first: cargo build --release" >&2; exit 1; }
[ -x "$venv/bin/ray" ] || { echo "no Ray in $venv: run scripts/setup.sh" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "install GNU time: apt-get install time" >&2; exit 1; }
export VANBAN_DICT="${VANBAN_DICT:-$root/dictionaries}" RAY_USAGE_STATS_ENABLED=0

tmp="$(mktemp -d /tmp/vr-bench-XXXXXX)"
stop_ray() {
  # Every process of this cluster (its temporary folder is in their command lines) and
  # their descendants, by id.
  python3 - "$tmp/ray" <<'EOF'
import os, signal, sys
mark, procs = sys.argv[1], {}
for p in filter(str.isdigit, os.listdir("/proc")):
    try:
        cmd = open(f"/proc/{p}/cmdline", "rb").read().replace(b"\0", b" ").decode("utf-8", "replace")
        procs[int(p)] = (int(open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[1]), cmd)
    except OSError:
        pass
chosen = {p for p, (_, cmd) in procs.items() if mark in cmd and p != os.getpid()}
while True:
    more = {p for p, (pp, _) in procs.items() if pp in chosen and p not in chosen}
    if not more:
        break
    chosen |= more
for p in chosen:
    try:
        os.kill(p, signal.SIGKILL)
    except OSError:
        pass
EOF
}
trap 'stop_ray; rm -rf "$tmp"' EXIT

mkdir -p "$tmp/scans"
for c in $(seq "$copies"); do
  mkdir -p "$tmp/scans/box-$c"
  for f in qd-1582-ubnd.png cv-3456-ubnd.jpg bc-312-hu.tif kh-107-ubnd.pdf; do cp "$root/corpus/$f" "$tmp/scans/box-$c/"; done
done
files=$((4 * copies))
pages=$((6 * copies))

# wall seconds and CPU seconds (user + system, children included) of a command.
timed() {
  /usr/bin/time -f "%e %U %S" -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" || { tail -20 "$tmp/err" >&2; exit 1; }
  awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$tmp/time"
}

report() {
  local label=$1 wall=$2 cpu=$3
  printf "%-34s %6.1f s wall  %6.1f s CPU  %5.3f pages/s  %5.2f CPU s/page\n" "$label" "$wall" "$cpu" "$(echo "$pages / $wall" | bc -l)" "$(echo "$cpu / $pages" | bc -l)"
}

echo "$files files, $pages pages; load average $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A wall
for jobs in 1 2; do
  rm -rf "$tmp/index"
  read -r w c < <(timed "$vanban" --index "$tmp/index" ingest "$tmp/scans" --jobs "$jobs")
  wall[plain$jobs]=$w
  report "vanban ingest --jobs $jobs" "$w" "$c"
done
for cpus in 1 2; do
  stop_ray
  rm -rf "$tmp/ray" "$tmp/records" "$tmp/index"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$venv/bin/ray" start --head --num-cpus "$cpus" --port "$port" --include-dashboard=false --disable-usage-stats \
    --object-store-memory 80000000 --temp-dir "$tmp/ray" >/dev/null 2>&1
  address="127.0.0.1:$port"
  read -r w c < <(timed "$venv/bin/python" "$root/deploy/ray/driver.py" --input "$tmp/scans" --records "$tmp/records" \
    --index "$tmp/index" --vanban "$vanban" --address "$address" --batch-files "$batch" --report "$tmp/report.json")
  wall[ray$cpus]=$w
  report "Ray driver, $cpus worker process(es)" "$w" "$c"
  echo "    (CPU here counts the driver and index build only: the Ray workers are not its children)"
done
for n in 1 2; do
  echo "driver overhead at $n worker(s): $(echo "(${wall[ray$n]} - ${wall[plain$n]}) / $files" | bc -l | xargs printf %.3f) s a file ($(echo "100 * (${wall[ray$n]} - ${wall[plain$n]}) / ${wall[plain$n]}" | bc -l | xargs printf %.1f)% of the plain ingest's wall time)"
done
