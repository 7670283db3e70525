#!/usr/bin/env bash
# Installs the Vox SDK from a build tree into a fresh prefix, then builds an
# out-of-tree plugin project (examples/vad_energy, or a plugin from the docs)
# against that installation only, and checks the result: <plugin>.so exists,
# exports nothing but vox_plugin_entry, and installs into <prefix>/lib*/vox/plugins.
#
#   build_example.sh <vox build dir> <plugin source dir> <work dir> <generator> <c compiler> <c++ compiler> <plugin name>
set -euo pipefail

binary_dir="$1"
example_dir="$2"
work_dir="$3"
generator="$4"
c_compiler="$5"
cxx_compiler="$6"
plugin_name="$7"

prefix="${work_dir}/prefix"
build="${work_dir}/build"
rm -rf "${work_dir}"
mkdir -p "${work_dir}"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# 1. Install. Prefer an "sdk" install component when the project defines one;
#    otherwise install the whole tree (voxd, plugins and config come along).
echo "== installing the SDK from ${binary_dir} into ${prefix}"
cmake --install "${binary_dir}" --prefix "${prefix}" --component sdk >/dev/null
config="$(find "${prefix}" -name voxConfig.cmake -print -quit 2>/dev/null || true)"
if [[ -z "${config}" ]]; then
    cmake --install "${binary_dir}" --prefix "${prefix}" >/dev/null
    config="$(find "${prefix}" -name voxConfig.cmake -print -quit)"
fi
[[ -n "${config}" ]] || fail "the installation has no voxConfig.cmake"
for file in voxConfigVersion.cmake voxTargets.cmake VoxPlugin.cmake; do
    [[ -f "$(dirname "${config}")/${file}" ]] || fail "the installation lacks ${file}"
done
[[ -f "${prefix}/include/vox/plugin.h" ]] || fail "the installation lacks include/vox/plugin.h"
[[ -f "${prefix}/include/vox/sdk.hpp" ]] || fail "the installation lacks include/vox/sdk.hpp"
echo "   package file: ${config#"${prefix}"/}"

# 2. Configure and build the example against the installed SDK. The package
#    registry is switched off so that nothing but the prefix can be found.
echo "== building ${example_dir} against the installed SDK"
cmake -S "${example_dir}" -B "${build}" -G "${generator}" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER="${c_compiler}" \
    -DCMAKE_CXX_COMPILER="${cxx_compiler}" \
    -DCMAKE_C_FLAGS="-Wall -Wextra -Wpedantic" \
    -DCMAKE_PREFIX_PATH="${prefix}" \
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
    -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON \
    -DCMAKE_CXX_FLAGS="-Wall -Wextra -Wpedantic -Wshadow -Wold-style-cast" \
    -DCMAKE_COMPILE_WARNING_AS_ERROR=ON \
    --no-warn-unused-cli \
    >"${work_dir}/configure.log" 2>&1 || {
    cat "${work_dir}/configure.log"
    fail "configuring the example failed"
}
cmake --build "${build}" >"${work_dir}/build.log" 2>&1 || {
    cat "${work_dir}/build.log"
    fail "building the example failed"
}

vox_dir="$(sed -n 's/^vox_DIR:PATH=//p' "${build}/CMakeCache.txt")"
case "${vox_dir}" in
    "${prefix}"/*) echo "   found vox in ${vox_dir#"${prefix}"/}" ;;
    *) fail "find_package(vox) found ${vox_dir}, not the installation in ${prefix}" ;;
esac

# 3. The plugin file and its exports.
plugin="${build}/${plugin_name}.so"
[[ -f "${plugin}" ]] || fail "${plugin} was not produced (files: $(ls "${build}"))"
exports="$(nm -D --defined-only "${plugin}" | awk '{print $NF}' | sort)"
echo "   exports: ${exports//$'\n'/ }"
[[ "${exports}" == "vox_plugin_entry" ]] || fail "the plugin must export only vox_plugin_entry, it exports: ${exports}"

# 4. The example installs where the installed voxd looks for plugins.
cmake --install "${build}" --prefix "${prefix}" >/dev/null
installed="$(find "${prefix}" -path "*/vox/plugins/${plugin_name}.so" -print -quit)"
[[ -n "${installed}" ]] || fail "cmake --install did not put ${plugin_name}.so under <prefix>/lib*/vox/plugins"
echo "   installs to ${installed#"${prefix}"/}"
echo "PASS: the installed SDK builds ${plugin_name}.so, which exports only vox_plugin_entry"
