#!/usr/bin/env bash
# bench/calls/latency.sh: voice-to-voice latency and barge-in, measured at the
# client, as issue "Real-time calls" asks. voxd runs with its local providers
# (vad.speexdsp, stt.pocketsphinx, tts.flite) and llm.openai pointed at
# bench_llm_server, which answers with a 100 ms time to first token. voxctl call
# speaks flite-made WAVs over the WebSocket transport in real time and reports,
# per turn, the time from the end of its speech to the first agent audio.
#
#   bench/calls/latency.sh [BUILD_DIR] [CALLS] [TURNS_PER_CALL]   (default build/dev, 10 calls x 10 turns)
#
# Prints the figures for docs/BENCHMARKS.md. Everything runs on this machine.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/dev}
calls=${2:-10}
turns=${3:-10}
bin=$build/bin
for program in voxd voxctl bench_llm_server; do
  [ -x "$bin/$program" ] || { echo "no $program in $bin (build the dev preset: cmake --preset dev && cmake --build build/dev)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/vox-bench-calls.XXXXXX)
key="vox_bench_key_0123456789abcdefghijkl"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_file() { for _ in $(seq 1 150); do [ -s "$1" ] && return 0; sleep 0.1; done; return 1; }

"$bin/bench_llm_server" --port-file "$work/llm.port" --ttft-ms 100 &
pids+=($!)
wait_file "$work/llm.port" || { echo "bench_llm_server did not start" >&2; exit 1; }
llm_port=$(cat "$work/llm.port")

VOX_BOOTSTRAP_API_KEY=$key VOX_DATA_DIR=$work/data VOX_LOG_LEVEL=warn \
VOX_PROVIDER_LLM_OPENAI_BASE_URL=http://127.0.0.1:$llm_port/v1 VOX_PROVIDER_LLM_OPENAI_API_KEY=sk-bench-0123456789 \
VOX_PROVIDER_TRANSPORT_WEBSOCKET_PORT=0 \
  "$bin/voxd" --port 0 --port-file "$work/voxd.port" >"$work/voxd.log" 2>&1 &
pids+=($!)
wait_file "$work/voxd.port" || { echo "voxd did not start:" >&2; cat "$work/voxd.log" >&2; exit 1; }
base=http://127.0.0.1:$(cat "$work/voxd.port")

agent=$(curl -sf -X POST "$base/api/agents" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"name":"Latency bench","system_prompt":"You are a receptionist.","begin_message":"Hello.",
       "model":"bench-model","settings":{"endpointing_ms":300}}' | sed -n 's/.*"id":"\(agent_[0-9A-Za-z]*\)".*/\1/p')
[ -n "$agent" ] || { echo "could not create the agent" >&2; exit 1; }

phrases=("What time do you open tomorrow?" "Can I book an appointment for Monday?"
         "Do you take walk in patients?" "Where is the clinic?")
says=()
for i in "${!phrases[@]}"; do
  "$bin/voxctl" tts --provider flite --settings '{"voice":"kal16"}' --text "${phrases[$i]}" --out "$work/say$i.wav" >/dev/null 2>&1
done
for t in $(seq 0 $((turns - 1))); do says+=(--say "$work/say$((t % ${#phrases[@]})).wav"); done

# percentiles of the numbers on stdin: "p50 p95 min max count"
summarise() {
  sort -n | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "no samples"; exit }
    i50 = int(NR * 0.50 + 0.999999); i95 = int(NR * 0.95 + 0.999999)
    printf "p50 %.0f ms, p95 %.0f ms, min %.0f ms, max %.0f ms (%d samples)\n", v[i50], v[i95], v[1], v[NR], NR }'
}

echo "voice-to-voice latency, $calls calls x $turns turns (endpointing 300 ms, LLM first token 100 ms):"
: >"$work/latency"
for c in $(seq 1 "$calls"); do
  "$bin/voxctl" call --url "$base" --api-key "$key" --agent "$agent" "${says[@]}" --json >"$work/call$c.json" ||
    { echo "voxctl call failed (call $c):" >&2; cat "$work/call$c.json" >&2; exit 1; }
  grep -o '"latency_ms":[0-9.]*' "$work/call$c.json" | cut -d: -f2 >>"$work/latency"
done
summarise <"$work/latency"

echo "barge-in (caller starts speaking 800 ms into the answer; time until the agent's audio stops at the client):"
: >"$work/barge"
for c in $(seq 1 "$calls"); do
  "$bin/voxctl" call --url "$base" --api-key "$key" --agent "$agent" --say "$work/say0.wav" --say "$work/say1.wav" \
    --barge-in-ms 800 --json >"$work/barge$c.json" || true
  grep -o '"barge_in_stop_ms":[0-9.]*' "$work/barge$c.json" | cut -d: -f2 >>"$work/barge"
done
summarise <"$work/barge"
