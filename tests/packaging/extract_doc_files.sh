#!/usr/bin/env bash
# Writes out the files a Markdown document shows: a fenced code block right
# after a line "<!-- file: some/path -->" becomes <out dir>/some/path. Lists
# the files written.
#
#   extract_doc_files.sh <document.md> <out dir>
set -euo pipefail

document="$1"
out_dir="$2"
mkdir -p "${out_dir}"

awk -v out="${out_dir}" '
    match($0, /^<!-- file: [^ ]+ -->$/) {
        pending = substr($0, 12, length($0) - 15)
        next
    }
    pending != "" && /^```/ && target == "" {
        target = out "/" pending
        pending = ""
        dir = target
        sub(/\/[^\/]*$/, "", dir)
        system("mkdir -p \"" dir "\"")
        printf "" > target
        print target
        next
    }
    target != "" && /^```/ {
        close(target)
        target = ""
        next
    }
    target != "" { print >> target }
' "${document}"
