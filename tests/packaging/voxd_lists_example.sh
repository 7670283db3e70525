#!/usr/bin/env bash
# Starts the built voxd on a free port with VOX_PLUGIN_PATH pointing at the
# example plugin's build directory (and a fresh data directory, with an API key
# of the test's own as the bootstrap key), checks that GET /api/plugins lists
# vad.example_energy (and does not list it as refused), then stops voxd with
# SIGTERM and expects a clean exit.
#
#   voxd_lists_example.sh <voxd> <directory holding vad_energy.so> <work dir>
set -euo pipefail

voxd="$1"
plugin_dir="$2"
work_dir="$3"

rm -rf "${work_dir}"
mkdir -p "${work_dir}"
port_file="${work_dir}/port"
log="${work_dir}/voxd.log"
pid=""

fail() {
    echo "FAIL: $*" >&2
    if [[ -f "${log}" ]]; then
        echo "--- voxd log (last 40 lines) ---" >&2
        tail -n 40 "${log}" >&2
    fi
    exit 1
}
cleanup() {
    if [[ -n "${pid}" ]] && kill -0 "${pid}" 2>/dev/null; then kill -KILL "${pid}" 2>/dev/null || true; fi
}
trap cleanup EXIT

[[ -x "${voxd}" ]] || fail "${voxd} is not an executable"
[[ -f "${plugin_dir}/vad_energy.so" ]] || fail "${plugin_dir}/vad_energy.so is missing (the build_example test makes it)"

# /api routes need a bearer key: voxd adds this one at start (bootstrap.api_key).
api_key="vox_packaging_test_$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"

# The example's directory, then the built-in plugins; data in the work dir.
echo "== starting ${voxd} (VOX_PLUGIN_PATH=${plugin_dir})"
VOX_PLUGIN_PATH="${plugin_dir}" VOX_DATA_DIR="${work_dir}/data" VOX_HTTP_HOST=127.0.0.1 \
    VOX_BOOTSTRAP_API_KEY="${api_key}" \
    "${voxd}" --port 0 --port-file "${port_file}" >"${log}" 2>&1 &
pid=$!

# Wait (up to 20 s) for the port file.
port=""
for _ in $(seq 200); do
    if [[ -s "${port_file}" ]]; then
        # Read it twice, a moment apart, in case the write was still under way.
        first="$(tr -d '[:space:]' <"${port_file}")"
        sleep 0.05
        port="$(tr -d '[:space:]' <"${port_file}")"
        [[ -n "${port}" && "${port}" == "${first}" ]] && break
        port=""
    fi
    kill -0 "${pid}" 2>/dev/null || fail "voxd exited before it was listening"
    sleep 0.1
done
[[ "${port}" =~ ^[0-9]+$ ]] || fail "voxd wrote no port to ${port_file} within 20 s"
base="http://127.0.0.1:${port}"
echo "   listening on ${base}"

health="$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "${base}/healthz")" || fail "GET /healthz failed"
[[ "${health}" == "200" ]] || fail "GET /healthz answered ${health}"

plugins="$(curl -sS --max-time 5 --fail -H "Authorization: Bearer ${api_key}" "${base}/api/plugins")" ||
    fail "GET /api/plugins failed"
printf '%s\n' "${plugins}" >"${work_dir}/plugins.json"
compact="$(printf '%s' "${plugins}" | tr -d ' \n\t')"
[[ "${compact}" == *'"key":"vad.example_energy"'* ]] ||
    fail "GET /api/plugins does not list vad.example_energy: ${plugins}"
[[ "${compact}" == *'"name":"vad_energy"'* ]] || fail "GET /api/plugins does not list the plugin vad_energy"
if [[ "${compact}" == *'"refused":['*'vad_energy.so'* ]]; then
    fail "voxd refused the example plugin: ${plugins}"
fi
echo "   GET /api/plugins lists vad.example_energy"

echo "== stopping voxd (SIGTERM)"
kill -TERM "${pid}"
status=0
for _ in $(seq 150); do
    kill -0 "${pid}" 2>/dev/null || break
    sleep 0.1
done
if kill -0 "${pid}" 2>/dev/null; then
    fail "voxd did not exit within 15 s of SIGTERM"
fi
wait "${pid}" || status=$?
pid=""
[[ "${status}" -eq 0 ]] || fail "voxd exited with status ${status} after SIGTERM"
echo "PASS: voxd loaded the example plugin from VOX_PLUGIN_PATH and stopped cleanly"
