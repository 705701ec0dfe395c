#!/bin/sh
# Benchmark of `vanban serve` (issue 6): builds the 20,000-document benchmark index from
# ../shared/corpus/legal when it is missing (the search bench does), then measures the
# search page's latency and 50 concurrent clients for 30 s on loopback.
#   bench/serve.sh            (VANBAN_SHARED=/path/to/shared to move ../shared)
set -eu
cd "$(dirname "$0")/.."
if [ ! -f target/bench-search-index/bench-built.txt ]; then
    cargo bench --bench search
fi
exec nice cargo bench --bench serve
