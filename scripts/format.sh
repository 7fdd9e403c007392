#!/usr/bin/env bash
# Formats the C sources git tracks (src/, include/, tests/) with the
# repository's .clang-format; `--check` changes nothing and fails, listing
# the files, when one differs (CI runs that). generated/ is the tool's
# output and is never formatted by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
CF=${CLANG_FORMAT:-clang-format}
command -v "$CF" >/dev/null || { echo "format: $CF not found (apt-get install clang-format)" >&2; exit 1; }
mapfile -t files < <(git ls-files -- 'src/*.[ch]' 'include/*.[ch]' 'tests/*.[ch]')
[ "${#files[@]}" -gt 0 ] || { echo "format: no C files found (not a git checkout?)" >&2; exit 1; }
if [ "${1:-}" = --check ]; then
  "$CF" --dry-run -Werror "${files[@]}"
  echo "format: ${#files[@]} files match .clang-format"
else
  "$CF" -i "${files[@]}"
fi
