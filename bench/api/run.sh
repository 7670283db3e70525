#!/usr/bin/env bash
# bench/api: REST API throughput and latency, as issue "REST API and storage"
# asks: GET one agent and POST an agent, 64 concurrent keep-alive connections,
# on SQLite and on PostgreSQL, measured with wrk on this machine.
#
#   bench/api/run.sh [BUILD_DIR] [SECONDS]     (default build/release, 10 s)
#
# Prints a Markdown table for docs/BENCHMARKS.md. voxd and wrk share the
# machine's cores, as they would on a small single-host install.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
seconds=${2:-10}
connections=64
threads=2
voxd=$build/bin/voxd
[ -x "$voxd" ] || { echo "no voxd at $voxd (build the release preset first: cmake --preset release && cmake --build build/release)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk; scripts/setup installs it)" >&2; exit 1; }

work=$(mktemp -d /tmp/vox-bench-api.XXXXXX)
key="vox_bench_key_0123456789abcdefghijkl"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$root/tests/support/postgres_fixture.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

start_voxd() {  # $1: name, $2: storage URL ("" for SQLite)
  local dir=$work/$1
  mkdir -p "$dir"
  VOX_BOOTSTRAP_API_KEY=$key VOX_DATA_DIR=$dir/data VOX_STORAGE_URL=$2 VOX_LOG_LEVEL=warn \
    "$voxd" --port 0 --port-file "$dir/port" >"$dir/voxd.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
  [ -s "$dir/port" ] || { echo "voxd did not start:" >&2; cat "$dir/voxd.log" >&2; exit 1; }
  cat "$dir/port"
}

# wrk output -> "rps p50_ms p99_ms non2xx"
summarise() {
  awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps=$2 }
    /^ +50%/ { p50=ms($2) }
    /^ +99%/ { p99=ms($2) }
    /Non-2xx or 3xx responses/ { bad=$5 }
    /Socket errors/ { err=$0 }
    END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, bad+0 }'
}

run_backend() {  # $1: label, $2: storage URL
  local port agent
  port=$(start_voxd "$1" "$2")
  local base=http://127.0.0.1:$port
  agent=$(curl -sf -X POST "$base/api/agents" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
            -d '{"name":"Bench target","system_prompt":"Hello."}' | sed -n 's/.*"id":"\(agent_[0-9A-Za-z]*\)".*/\1/p')
  [ -n "$agent" ] || { echo "could not create the agent on $1" >&2; exit 1; }
  # Warm up (connections, statement caches), then measure.
  wrk -t$threads -c$connections -d2s -H "Authorization: Bearer $key" "$base/api/agents/$agent" >/dev/null
  read -r get_rps get_p50 get_p99 get_bad < <(wrk -t$threads -c$connections -d${seconds}s --latency \
      -H "Authorization: Bearer $key" "$base/api/agents/$agent" | summarise)
  read -r post_rps post_p50 post_p99 post_bad < <(wrk -t$threads -c$connections -d${seconds}s --latency \
      -H "Authorization: Bearer $key" -s "$root/bench/api/post_agent.lua" "$base/api/agents" | summarise)
  printf '| %s | GET /api/agents/{id} | %s | %s | %s | %s |\n' "$1" "$get_rps" "$get_p50" "$get_p99" "$get_bad"
  printf '| %s | POST /api/agents | %s | %s | %s | %s |\n' "$1" "$post_rps" "$post_p50" "$post_p99" "$post_bad"
}

echo "bench/api: $connections keep-alive connections, $threads wrk threads, ${seconds}s per run, $(nproc) cores"
echo "voxd: $("$voxd" --version)"
echo
echo '| storage | request | requests/s | p50 ms | p99 ms | non-2xx |'
echo '|---|---|---:|---:|---:|---:|'
run_backend sqlite ""
VOX_TEST_POSTGRES_FSYNC=on "$root/tests/support/postgres_fixture.sh" start "$work/pg" >/dev/null
run_backend postgresql "$(cat "$work/pg/url")"
