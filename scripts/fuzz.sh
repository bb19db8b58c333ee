#!/usr/bin/env bash
# Usage: FUZZTIME=5s scripts/fuzz.sh
#
# Runs every Fuzz function under internal/ for $FUZZTIME each (go test fuzzes one
# function at a time). Run from the repository root (make fuzz).
set -euo pipefail

fuzztime="${FUZZTIME:-5s}"
mapfile -t dirs < <(grep -rlE --include='*_test.go' '^func Fuzz[[:alnum:]_]*\(' internal 2>/dev/null |
  xargs -r -n 1 dirname | sort -u)
if [[ ${#dirs[@]} -eq 0 ]]; then
  echo "fuzz: no Fuzz functions under internal/"
  exit 0
fi
for dir in "${dirs[@]}"; do
  mapfile -t fns < <(sed -nE 's/^func (Fuzz[[:alnum:]_]*)\(.*/\1/p' "$dir"/*_test.go | sort -u)
  for fn in "${fns[@]}"; do
    echo "fuzz: $fn (./$dir)"
    go test -run='^$' -fuzz="^$fn\$" -fuzztime="$fuzztime" "./$dir"
  done
done
