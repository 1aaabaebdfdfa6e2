#!/usr/bin/env bash
# The load run of RELIABILITY.md (issue 7): REQUESTS requests (100,000) at CONNECTIONS clients
# (256), REST and MCP alternating, through the release `vsphere-session-server` process
# against an in-test upstream on 127.0.0.1; then SIGTERM under load. Counts errors, upstream
# arrivals and the server's RSS (start, after a tenth as warm-up, end). Not part of CI (CI runs
# the same test at 10,000 requests and 64 connections on a debug build).
#
#   bench/reliability-load.sh            REQUESTS=100000 CONNECTIONS=256 by default
#
# Output: target/bench/reliability-load.txt
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${REQUESTS:-100000}
CONNECTIONS=${CONNECTIONS:-256}
mkdir -p target/bench
# Each client holds a connection to both listeners; the server and upstream hold theirs.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
NAFTIKO_LOAD_REQUESTS=$REQUESTS NAFTIKO_LOAD_CONNECTIONS=$CONNECTIONS \
  cargo test --release -p generated-vsphere-session --test shutdown_and_load -- \
  --nocapture --test-threads 1 2>&1 | tee target/bench/reliability-load.txt |
  grep -E '^load:|^test |test result'
