#!/usr/bin/env bash
# `vanban index build` on many records (issue 15): records/s and peak memory at 10k and
# 100k records, to show that the build streams (memory does not grow with the records).
#
#   bench/index_build.sh [SMALL] [LARGE]     # default 10000 100000
#
# The records are derived, in a work folder outside the repository (WORK, default
# /tmp/vanban-bench-index; about 1 GB for 100k, kept between runs, delete it after):
#   1. the shared legal corpus (VANBAN_SHARED, default /work/shared; corpus/legal/*.md)
#      is cut into text files of about 2,000 characters (400 of them);
#   2. `vanban ingest --records-out` makes their real records;
#   3. those records are copied into LARGE records, each with an id, source path and hash
#      of its own (the text repeats; indexing cost is per document and per word).
# Then, each into a fresh index, timed with GNU time: a build of the first SMALL records,
# one of all LARGE, and a rerun of the LARGE one (nothing changed: what a rerun costs).
set -euo pipefail

small=${1:-10000}
large=${2:-100000}
root="$(cd "$(dirname "$0")/.." && pwd)"
vanban="${VANBAN:-$root/target/release/vanban}"
shared="${VANBAN_SHARED:-/work/shared}"
work="${WORK:-/tmp/vanban-bench-index}"
[ -x "$vanban" ] || { echo "build first: cargo build --release" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "install GNU time: apt-get install time" >&2; exit 1; }
[ -d "$shared/corpus/legal" ] || { echo "no $shared/corpus/legal (set VANBAN_SHARED)" >&2; exit 1; }
export VANBAN_DICT="${VANBAN_DICT:-$root/dictionaries}"
mkdir -p "$work"

if [ ! -f "$work/seed.done" ]; then
  rm -rf "$work/texts" "$work/seed"
  python3 - "$shared/corpus/legal" "$work/texts" <<'EOF'
import os, sys
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(src) for f in fs if f.endswith(".md"))
n = 0
for path in paths:
    text = open(path, encoding="utf-8", errors="replace").read()
    paras = [p.strip() for p in text.split("\n\n") if len(p.strip()) > 40]
    chunk = []
    for p in paras:
        chunk.append(p)
        if sum(map(len, chunk)) >= 2000:
            with open(os.path.join(out, f"doc-{n:04d}.txt"), "w", encoding="utf-8") as f:
                f.write("\n".join(chunk) + "\n")
            n += 1
            chunk = []
            if n >= 400:
                sys.exit(0)
EOF
  "$vanban" ingest "$work/texts" --records-out "$work/seed" --jobs 2 >/dev/null
  touch "$work/seed.done"
fi

# LARGE records from the seed: record i takes seed i mod S, with its own id and hash.
if [ ! -f "$work/records-$large.done" ]; then
  rm -rf "$work/records-$large"
  python3 - "$work/seed" "$work/records-$large" "$large" <<'EOF'
import hashlib, json, os, sys
seed_dir, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out)
seeds = [json.load(open(os.path.join(seed_dir, f), encoding="utf-8")) for f in sorted(os.listdir(seed_dir)) if f.endswith(".json")]
for i in range(count):
    doc = seeds[i % len(seeds)]
    doc["id"] = f"{i:016x}"
    doc["source_path"] = f"/bench/archive/box-{i // 1000:04d}/doc-{i:07d}.txt"
    doc["sha256"] = hashlib.sha256(str(i).encode()).hexdigest()
    with open(os.path.join(out, f"{doc['id']}@{doc['sha256'][:16]}.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
EOF
  touch "$work/records-$large.done"
fi
# The SMALL set: links to the first SMALL records of the large one.
rm -rf "$work/records-$small"
mkdir -p "$work/records-$small"
# (head closes the pipe early: under pipefail that SIGPIPE would stop the script)
(set +o pipefail; ls "$work/records-$large" | sort | head -n "$small") | while read -r f; do ln "$work/records-$large/$f" "$work/records-$small/$f"; done

# One build: prints records, seconds, records/s and peak RSS.
build() {
  local label=$1 n=$2 records=$3 index=$4
  /usr/bin/time -v -o "$work/time" "$vanban" --index "$index" index build --records "$records" >"$work/out" 2>"$work/err" \
    || { cat "$work/err" >&2; exit 1; }
  local secs rss
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$work/time")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/time")
  printf "%-22s %7d records  %7.1f s  %7.0f records/s  peak RSS %5d MB   (%s)\n" "$label" "$n" "$secs" "$(echo "$n / $secs" | bc -l)" "$rss" "$(head -1 "$work/out")"
  echo "$rss" >"$work/rss-$label"
}

du -sh "$work/records-$large" | awk '{ print "records on disk (" '"$large"' "): " $1 }'
rm -rf "$work/index-$small" "$work/index-$large"
build "build $small" "$small" "$work/records-$small" "$work/index-$small"
build "build $large" "$large" "$work/records-$large" "$work/index-$large"
build "rerun $large" "$large" "$work/records-$large" "$work/index-$large"
echo "peak RSS ratio $large / $small records: $(echo "$(cat "$work/rss-build $large") / $(cat "$work/rss-build $small")" | bc -l | xargs printf %.2f)"
