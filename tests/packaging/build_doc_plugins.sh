#!/usr/bin/env bash
# Builds the plugins that docs/plugins.md shows (my_plugin in C++, plain_c in
# C) against the SDK installed from this build tree, exactly as the guide tells
# an author to, so that the guide's code keeps compiling. Also checks that the
# guide's C plugin is the same file that tests/sdk compiles and runs.
#
#   build_doc_plugins.sh <vox build dir> <vox source dir> <work dir> <generator> <c compiler> <c++ compiler>
set -euo pipefail

binary_dir="$1"
source_dir="$2"
work_dir="$3"
generator="$4"
c_compiler="$5"
cxx_compiler="$6"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

rm -rf "${work_dir}"
mkdir -p "${work_dir}"
echo "== extracting the files of docs/plugins.md"
"${here}/extract_doc_files.sh" "${source_dir}/docs/plugins.md" "${work_dir}/src"

for expected in my_plugin/CMakeLists.txt my_plugin/my_plugin.cpp plain_c/CMakeLists.txt plain_c/plain_c_plugin.c; do
    [[ -f "${work_dir}/src/${expected}" ]] || {
        echo "FAIL: docs/plugins.md no longer shows ${expected} (<!-- file: ${expected} --> before its code block)" >&2
        exit 1
    }
done
if ! diff -u "${source_dir}/tests/sdk/plain_c_plugin.c" "${work_dir}/src/plain_c/plain_c_plugin.c"; then
    echo "FAIL: the C plugin in docs/plugins.md differs from tests/sdk/plain_c_plugin.c" >&2
    exit 1
fi

for plugin in my_plugin plain_c; do
    "${here}/build_example.sh" "${binary_dir}" "${work_dir}/src/${plugin}" "${work_dir}/${plugin}" "${generator}" \
        "${c_compiler}" "${cxx_compiler}" "${plugin}"
done
echo "PASS: the plugins of docs/plugins.md build against the installed SDK"
