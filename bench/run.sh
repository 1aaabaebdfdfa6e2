#!/usr/bin/env bash
# The naftiko-rs benchmark suite (issue 6). Not part of CI. See BENCHMARKS.md.
#
#   bench/run.sh [all|serve|instructions|codegen|build]      (default: all)
#
#   serve    REST gateway vs the upstream direct vs nginx proxy_pass vs the floor (wrk, 32 and
#            256 connections), MCP tools/call vs FastMCP (from_openapi), server RSS idle and
#            under load; targets alternate inside every round.
#   instructions  user-space instructions per proxied REST request, counted by callgrind (the
#            same count whatever else the machine does): the gateway, the floor, and
#            BASELINE_BIN if set.
#   codegen  criterion benches of generate() and pretty() at 3/100/1,000/5,000 operations,
#            release and dev profile.
#   build    clean and incremental (spec touched) release build, stripped binary size.
#
# Environment: ROUNDS (5), DURATION seconds per wrk run (10), MCP_CONNS (32), CRITERION (1; 0
# keeps only the CLI CPU-time figures of the codegen part), BUILD_ROUNDS (1: clean builds),
# SERVER_BIN (target/release/vsphere-session-server), BASELINE_BIN (unset: a second server
# binary, e.g. an older build, loaded as `gateway-base` alternating with the others: before/after
# figures from the same run), SERVER_CPU (0) and LOAD_CPU (1): the gateway, nginx and FastMCP
# share SERVER_CPU with the upstream, wrk runs alone on LOAD_CPU. FLOOR (1; 0 leaves it out):
# bench/floor, the same proxied GET by a bare axum server through a bare hyper client
# (`floor-hyper`) and a bare reqwest client (`floor-reqwest`), none of naftiko's layers.
# Everything listens on 127.0.0.1 only; every load is bounded by DURATION. Results:
# target/bench/ (raw TSV, logs, summary.md).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WHAT=${1:-all}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10}
MCP_CONNS=${MCP_CONNS:-32}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
OUT=$ROOT/target/bench
mkdir -p "$OUT"

UPSTREAM_PORT=18081 # static nginx: the "vCenter"
PROXY_PORT=18082    # nginx proxy_pass with upstream keepalive
REST_PORT=18080     # vsphere-session-server REST
MCP_PORT=19090      # vsphere-session-server MCP
FASTMCP_PORT=19091  # FastMCP from_openapi
FLOOR_HYPER_PORT=18083   # bench/floor --client hyper
FLOOR_REQWEST_PORT=18084 # bench/floor --client reqwest
FLOOR=${FLOOR:-1}
FLOOR_BIN=$ROOT/target/release/floor-proxy
SESSION_JSON='{"user":"administrator@vsphere.local","created_time":"2026-12-03T18:47:09.239Z","last_accessed_time":"2026-12-03T18:47:09.250Z"}'

log() { printf '== %s\n' "$*" >&2; }

# ---------------------------------------------------------------- installs
install_tools() {
  local missing=()
  command -v nginx >/dev/null || missing+=(nginx)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v taskset >/dev/null || missing+=(util-linux)
  command -v curl >/dev/null || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  VENV=$OUT/venv
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
  fi
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "fastmcp==4.1.6" "uvicorn"
  machine # again, now that wrk and nginx are here to report their versions
}

# ---------------------------------------------------------------- processes
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  for p in "${PIDS[@]}"; do
    wait "$p" 2>/dev/null || true
  done
  PIDS=()
}
trap cleanup EXIT

wait_port() { # port
  local i
  for i in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1" >&2
  return 1
}

# nginx with one worker, no access log, keepalive connections that live for the whole run.
nginx_conf() { # name port body...
  local name=$1 port=$2 body=$3 dir=$OUT/nginx-$1
  mkdir -p "$dir/logs" "$dir/tmp"
  cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
master_process off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
$body
}
EOF
  echo "$dir/nginx.conf"
}

start_upstream() {
  local conf
  conf=$(nginx_conf upstream $UPSTREAM_PORT "  server {
    listen 127.0.0.1:$UPSTREAM_PORT;
    location = /api/session {
      default_type application/json;
      return 200 '$SESSION_JSON';
    }
  }")
  taskset -c "$SERVER_CPU" nginx -c "$conf" &
  UPSTREAM_PID=$!
  PIDS+=($!)
  wait_port $UPSTREAM_PORT
}

start_proxy() {
  local conf
  conf=$(nginx_conf proxy $PROXY_PORT "  upstream vcenter {
    server 127.0.0.1:$UPSTREAM_PORT;
    keepalive 512;
    keepalive_requests 100000000;
  }
  server {
    listen 127.0.0.1:$PROXY_PORT;
    location = /v1/session {
      proxy_pass http://vcenter/api/session;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
    }
  }")
  taskset -c "$SERVER_CPU" nginx -c "$conf" &
  PROXY_PID=$!
  PIDS+=($!)
  wait_port $PROXY_PORT
}

SERVER_BIN_SET=${SERVER_BIN:-}
SERVER_BIN=${SERVER_BIN:-$ROOT/target/release/vsphere-session-server}
BASELINE_BIN=${BASELINE_BIN:-}
BASE_REST_PORT=18090
BASE_MCP_PORT=19095
SERVER_PID=
BASE_PID=
start_gateway() { # binary rest-port mcp-port -> $! is the server
  RUST_LOG=warn taskset -c "$SERVER_CPU" "$1" \
    --base-uri "http://127.0.0.1:$UPSTREAM_PORT/api" \
    --rest-port "$2" --mcp-port "$3" >>"$OUT/server.log" 2>&1 &
}
start_server() {
  start_gateway "$SERVER_BIN" $REST_PORT $MCP_PORT
  SERVER_PID=$!
  PIDS+=($SERVER_PID)
  wait_port $REST_PORT
  wait_port $MCP_PORT
  if [ -n "$BASELINE_BIN" ]; then
    start_gateway "$BASELINE_BIN" $BASE_REST_PORT $BASE_MCP_PORT
    BASE_PID=$!
    PIDS+=($BASE_PID)
    wait_port $BASE_REST_PORT
    wait_port $BASE_MCP_PORT
  fi
}

stop_server() {
  local p keep=()
  for p in $SERVER_PID $BASE_PID; do
    kill "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  for p in "${PIDS[@]}"; do
    [ "$p" = "$SERVER_PID" ] || [ "$p" = "$BASE_PID" ] || keep+=("$p")
  done
  PIDS=("${keep[@]}")
}

FLOOR_HYPER_PID=
FLOOR_REQWEST_PID=
floor_args() { # client port: the floor's arguments
  echo "--client $1 --port $2 --upstream http://127.0.0.1:$UPSTREAM_PORT/api"
}
start_floor() {
  [ "$FLOOR" = 1 ] || return 0
  cargo build -q --release -p naftiko-bench-floor
  taskset -c "$SERVER_CPU" "$FLOOR_BIN" $(floor_args hyper $FLOOR_HYPER_PORT) >>"$OUT/floor.log" 2>&1 &
  FLOOR_HYPER_PID=$!
  PIDS+=($!)
  taskset -c "$SERVER_CPU" "$FLOOR_BIN" $(floor_args reqwest $FLOOR_REQWEST_PORT) >>"$OUT/floor.log" 2>&1 &
  FLOOR_REQWEST_PID=$!
  PIDS+=($!)
  wait_port $FLOOR_HYPER_PORT
  wait_port $FLOOR_REQWEST_PORT
  check_rest "http://127.0.0.1:$FLOOR_HYPER_PORT/v1/session"
  check_rest "http://127.0.0.1:$FLOOR_REQWEST_PORT/v1/session"
}

start_fastmcp() {
  taskset -c "$SERVER_CPU" "$VENV/bin/python" "$ROOT/bench/fastmcp_server.py" \
    "$ROOT/bench/vsphere-session.openapi.json" "http://127.0.0.1:$UPSTREAM_PORT/api" \
    $FASTMCP_PORT >>"$OUT/fastmcp.log" 2>&1 &
  FASTMCP_PID=$!
  PIDS+=($!)
  wait_port $FASTMCP_PORT
}

cpu_ticks() { # pid: user+system CPU time in clock ticks
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}

rss_kib() { # pid field(VmRSS|VmHWM)
  awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# ---------------------------------------------------------------- checks
check_rest() { # url
  local body
  body=$(curl -sf -H 'vmware-api-session-id: bench-token' "$1")
  case $body in *created_time*) ;; *) echo "bad answer from $1: $body" >&2; return 1 ;; esac
}
TOOL=vmware-get-current-session-information
FASTMCP_TOOL=vmware_get_current_session_information # FastMCP slugifies operationIds
check_mcp() { # url tool
  local body
  body=$(curl -sf -X POST -H 'content-type: application/json' \
    -H 'accept: application/json, text/event-stream' -H 'mcp-protocol-version: 2025-11-25' \
    -H 'vmware-api-session-id: bench-token' \
    --data '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"'"$2"'","arguments":{}}}' "$1")
  case $body in
    *'"isError":true'*) echo "tool error from $1: $body" >&2; return 1 ;;
    *created_time*) ;;
    *) echo "bad answer from $1: $body" >&2; return 1 ;;
  esac
}

# ---------------------------------------------------------------- load
RAW=$OUT/serve.tsv
TICK_US=$((1000000 / $(getconf CLK_TCK)))
# One wrk run; also the CPU time the serving process (pid) spent per request, a figure that
# other load on the machine disturbs much less than requests/s.
load() { # target conns round pid url [mcp-tool]
  local target=$1 conns=$2 round=$3 pid=$4 url=$5 tool=${6:-} line t0 t1
  t0=$(cpu_ticks "$pid")
  line=$(BENCH_MCP=${tool:+1} BENCH_TOOL=$tool taskset -c "$LOAD_CPU" wrk -t1 -c"$conns" -d"${DURATION}s" \
    --timeout 5s -s "$ROOT/bench/wrk.lua" "$url" | tee -a "$OUT/wrk.log" | grep '^RESULT')
  t1=$(cpu_ticks "$pid")
  # RESULT rps=.. p50_us=.. p99_us=.. requests=.. errors=..
  set -- $line
  local cpu_us
  cpu_us=$(awk -v t=$((t1 - t0)) -v n="${5#requests=}" -v us=$TICK_US 'BEGIN { printf "%.1f", t * us / n }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$conns" "$round" \
    "${2#rps=}" "${3#p50_us=}" "${4#p99_us=}" "${6#errors=}" "$cpu_us" >>"$RAW"
  log "round $round $target c=$conns: $2 $3 $4 $6 cpu_us/req=$cpu_us"
}

serve_bench() {
  [ -x "$SERVER_BIN" ] || cargo build --release -p generated-vsphere-session
  : >"$RAW"
  : >"$OUT/memory.tsv"
  : >"$OUT/wrk.log"
  start_upstream
  start_proxy
  start_fastmcp
  start_floor
  check_rest "http://127.0.0.1:$UPSTREAM_PORT/api/session"
  check_rest "http://127.0.0.1:$PROXY_PORT/v1/session"
  check_mcp "http://127.0.0.1:$FASTMCP_PORT/mcp" $FASTMCP_TOOL
  local round conns t
  for round in $(seq 1 "$ROUNDS"); do
    # A fresh server each round: its idle RSS, then its peak under the loads below.
    start_server
    check_rest "http://127.0.0.1:$REST_PORT/v1/session"
    check_mcp "http://127.0.0.1:$MCP_PORT/mcp" $TOOL
    sleep 1
    local idle
    idle=$(rss_kib "$SERVER_PID" VmRSS)
    # Alternate targets; rotate the order each round so no target always goes first.
    local order=(gateway proxy direct)
    [ -z "$BASELINE_BIN" ] || order+=(base)
    [ "$FLOOR" != 1 ] || order+=(floor-hyper floor-reqwest)
    local shift=$(((round - 1) % ${#order[@]}))
    order=("${order[@]:shift}" "${order[@]:0:shift}")
    for conns in 32 256; do
      for t in "${order[@]}"; do
        case $t in
          gateway) load gateway "$conns" "$round" "$SERVER_PID" "http://127.0.0.1:$REST_PORT/v1/session" ;;
          proxy) load nginx-proxy "$conns" "$round" "$PROXY_PID" "http://127.0.0.1:$PROXY_PORT/v1/session" ;;
          base) load gateway-base "$conns" "$round" "$BASE_PID" "http://127.0.0.1:$BASE_REST_PORT/v1/session" ;;
          direct) load upstream-direct "$conns" "$round" "$UPSTREAM_PID" "http://127.0.0.1:$UPSTREAM_PORT/api/session" ;;
          floor-hyper) load floor-hyper "$conns" "$round" "$FLOOR_HYPER_PID" "http://127.0.0.1:$FLOOR_HYPER_PORT/v1/session" ;;
          floor-reqwest) load floor-reqwest "$conns" "$round" "$FLOOR_REQWEST_PID" "http://127.0.0.1:$FLOOR_REQWEST_PORT/v1/session" ;;
        esac
      done
    done
    local rest_peak
    rest_peak=$(rss_kib "$SERVER_PID" VmHWM)
    if [ $((round % 2)) -eq 1 ]; then
      load mcp-gateway "$MCP_CONNS" "$round" "$SERVER_PID" "http://127.0.0.1:$MCP_PORT/mcp" $TOOL
      load mcp-fastmcp "$MCP_CONNS" "$round" "$FASTMCP_PID" "http://127.0.0.1:$FASTMCP_PORT/mcp" $FASTMCP_TOOL
    else
      load mcp-fastmcp "$MCP_CONNS" "$round" "$FASTMCP_PID" "http://127.0.0.1:$FASTMCP_PORT/mcp" $FASTMCP_TOOL
      load mcp-gateway "$MCP_CONNS" "$round" "$SERVER_PID" "http://127.0.0.1:$MCP_PORT/mcp" $TOOL
    fi
    if [ -n "$BASELINE_BIN" ]; then
      load mcp-gateway-base "$MCP_CONNS" "$round" "$BASE_PID" "http://127.0.0.1:$BASE_MCP_PORT/mcp" $TOOL
    fi
    load mcp-gateway 256 "$round" "$SERVER_PID" "http://127.0.0.1:$MCP_PORT/mcp" $TOOL
    printf '%s\t%s\t%s\t%s\n' "$round" "$idle" "$rest_peak" "$(rss_kib "$SERVER_PID" VmHWM)" \
      >>"$OUT/memory.tsv"
    log "round $round RSS KiB: idle $idle, peak after REST $rest_peak, after MCP $(rss_kib "$SERVER_PID" VmHWM)"
    stop_server
  done
  cleanup
}

# ---------------------------------------------------------------- instructions
# Callgrind counts instructions, not seconds: the figure to compare two builds on a busy
# machine. Instrumentation is switched on after a warm-up (connections pooled, caches
# filled) and off before the server stops, so start-up and shutdown are not counted.
instructions_one() { # label port command...: a server answering GET /v1/session on port
  local label=$1 port=$2 cg=$OUT/callgrind.$1.out vp requests ir
  shift 2
  rm -f "$cg"
  RUST_LOG=warn valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$cg" \
    "$@" >>"$OUT/callgrind.log" 2>&1 &
  vp=$!
  PIDS+=($vp)
  wait_port "$port"
  check_rest "http://127.0.0.1:$port/v1/session"
  taskset -c "$LOAD_CPU" wrk -t1 -c8 -d2s -H 'vmware-api-session-id: bench-token' \
    "http://127.0.0.1:$port/v1/session" >/dev/null
  callgrind_control -i on $vp >/dev/null
  requests=$(taskset -c "$LOAD_CPU" wrk -t1 -c8 -d8s -H 'vmware-api-session-id: bench-token' \
    "http://127.0.0.1:$port/v1/session" | awk '/requests in/ { print $1 }')
  callgrind_control -i off $vp >/dev/null
  kill -INT $vp
  wait $vp 2>/dev/null || true
  ir=$(callgrind_annotate "$cg" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
  printf '%s\t%s\t%s\n' "$label" "$requests" "$ir" >>"$OUT/instructions.tsv"
  log "$label: $requests requests, $ir instructions, $((ir / requests)) per request"
}

instructions_gateway() { # label binary
  instructions_one "$1" $REST_PORT "$2" --base-uri "http://127.0.0.1:$UPSTREAM_PORT/api" \
    --rest-port $REST_PORT --mcp-port $MCP_PORT
}

instructions_bench() {
  command -v valgrind >/dev/null || apt-get install -y -qq valgrind >/dev/null
  [ -x "$SERVER_BIN" ] || cargo build --release -p generated-vsphere-session
  : >"$OUT/instructions.tsv"
  start_upstream
  instructions_gateway gateway "$SERVER_BIN"
  [ -z "$BASELINE_BIN" ] || instructions_gateway gateway-base "$BASELINE_BIN"
  if [ "$FLOOR" = 1 ]; then
    cargo build -q --release -p naftiko-bench-floor
    instructions_one floor-hyper $FLOOR_HYPER_PORT "$FLOOR_BIN" $(floor_args hyper $FLOOR_HYPER_PORT)
    instructions_one floor-reqwest $FLOOR_REQWEST_PORT "$FLOOR_BIN" $(floor_args reqwest $FLOOR_REQWEST_PORT)
  fi
  cleanup
}

# ---------------------------------------------------------------- codegen
codegen_bench() {
  # The synthetic specs must be valid: check the largest one with the CLI first.
  cargo run -q --release -p naftiko-codegen --example make_spec -- 5000 >"$OUT/spec-5000.yaml"
  cargo run -q --release -p naftiko-codegen -- check "$OUT/spec-5000.yaml"
  # CPU time (user+sys) of the CLI, which other load on the machine disturbs much less than
  # criterion's wall-clock figures: `check` = parse + validate, `expand` = + emit + prettyplease.
  cargo build -q -p naftiko-codegen
  cargo build -q --release -p naftiko-codegen
  : >"$OUT/codegen-cpu.tsv"
  local n profile cmd i
  for n in 3 100 1000 5000; do
    cargo run -q --release -p naftiko-codegen --example make_spec -- "$n" >"$OUT/spec-$n.yaml"
    for i in 1 2 3; do
      for profile in release debug; do
        for cmd in check expand; do
          /usr/bin/time -f "%U %S" -o "$OUT/time.txt" \
            "$ROOT/target/$profile/naftiko-codegen" "$cmd" "$OUT/spec-$n.yaml" >/dev/null 2>&1
          printf '%s\t%s\t%s\t%s\t%s\n' "$profile" "$cmd" "$n" "$i" \
            "$(awk '{ print $1 + $2 }' "$OUT/time.txt")" >>"$OUT/codegen-cpu.tsv"
        done
      done
    done
  done
  [ "${CRITERION:-1}" = 1 ] || return 0
  log "criterion, release (bench) profile"
  CRITERION_HOME=$OUT/criterion-release cargo bench -p naftiko-codegen --bench codegen -- --noplot 2>&1 |
    tee "$OUT/codegen-release.log"
  log "criterion, dev profile (how proc macros are built)"
  CRITERION_HOME=$OUT/criterion-dev cargo bench -p naftiko-codegen --bench codegen --profile dev -- --noplot 2>&1 |
    tee "$OUT/codegen-dev.log"
}

# ---------------------------------------------------------------- build cost
build_bench() {
  local bt=$OUT/build-target t0 t1
  : >"$OUT/build.tsv"
  for round in $(seq 1 "${BUILD_ROUNDS:-1}"); do
    rm -rf "$bt"
    t0=$(date +%s.%N)
    CARGO_TARGET_DIR=$bt cargo build -q --release -p generated-vsphere-session
    t1=$(date +%s.%N)
    printf 'clean\t%s\t%.1f\n' "$round" "$(echo "$t1 - $t0" | bc)" >>"$OUT/build.tsv"
    for i in 1 2 3; do
      touch specs/vsphere-session.yaml
      t0=$(date +%s.%N)
      CARGO_TARGET_DIR=$bt cargo build -q --release -p generated-vsphere-session
      t1=$(date +%s.%N)
      printf 'incremental\t%s.%s\t%.1f\n' "$round" "$i" "$(echo "$t1 - $t0" | bc)" >>"$OUT/build.tsv"
    done
  done
  cp "$bt/release/vsphere-session-server" "$OUT/server-stripped"
  strip "$OUT/server-stripped"
  printf 'binary\t%s\t%s\n' "$(stat -c %s "$bt/release/vsphere-session-server")" \
    "$(stat -c %s "$OUT/server-stripped")" >>"$OUT/build.tsv"
  cat "$OUT/build.tsv"
}

# ---------------------------------------------------------------- report
machine() {
  {
    echo "nproc: $(nproc)"
    echo "cpu: $(lscpu | sed -n 's/^Model name: *//p')"
    echo "memory: $(free -g | awk '/^Mem:/ { print $2 " GiB" }')"
    echo "kernel: $(uname -r)"
    echo "rustc: $(rustc --version)"
    echo "nginx: $(nginx -v 2>&1 | sed 's/.*: //')"
    echo "wrk: $(wrk -v 2>&1 | head -1)"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  } >"$OUT/machine.txt"
}

machine
case $WHAT in
  all)
    install_tools
    cargo build --release -p generated-vsphere-session
    serve_bench
    instructions_bench
    codegen_bench
    build_bench
    ;;
  serve)
    install_tools
    [ -n "${SERVER_BIN_SET:-}" ] || cargo build --release -p generated-vsphere-session
    serve_bench
    ;;
  instructions)
    [ -n "${SERVER_BIN_SET:-}" ] || cargo build --release -p generated-vsphere-session
    instructions_bench
    ;;
  codegen) codegen_bench ;;
  build) command -v bc >/dev/null || apt-get install -y -qq bc >/dev/null; build_bench ;;
  *) echo "usage: bench/run.sh [all|serve|instructions|codegen|build]" >&2; exit 2 ;;
esac
python3 "$ROOT/bench/summary.py" "$OUT" | tee "$OUT/summary.md"
