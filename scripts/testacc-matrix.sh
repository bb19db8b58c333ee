#!/usr/bin/env bash
# Usage: [MATRIX="1.11.4 tofu-1.12.6"] scripts/testacc-matrix.sh
#
# Runs the acceptance tests (TF_ACC=1 go test -count=1 ./internal/...) against each CLI
# version in MATRIX in turn: a Terraform version ("1.9.8") or an OpenTofu one
# ("tofu-1.12.6"). A version not built yet is built first by scripts/ensure-terraform.sh or
# scripts/ensure-tofu.sh, into $TOOLS_DIR (3.5 to 5 minutes each).
#
# Prints one PASS/FAIL line per version, keeps each run's `go test -v` output in
# .tools/matrix/<version>.log and writes a summary table with the failing tests to
# .tools/matrix/summary.md. Carries on past a failing version; exits non-zero at the end
# if any failed. Run from the repository root (make testacc-matrix).
set -euo pipefail

readonly DEFAULT_MATRIX="1.8.5 1.9.8 1.10.5 1.11.4 1.12.2 1.13.3 tofu-1.10.10 tofu-1.12.6"

log() { printf 'testacc-matrix: %s\n' "$*" >&2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="$root/.tools/matrix"
mkdir -p "$out"

read -r -a versions <<<"${MATRIX:-$DEFAULT_MATRIX}"
[[ ${#versions[@]} -gt 0 ]] || {
  log "MATRIX is empty"
  exit 2
}

# CLI configurations that install hashicorp/http from the local mirror, as make testacc uses.
tfrc="$(scripts/ensure-http-provider.sh)"
tofurc="$(scripts/ensure-http-provider.sh --tofu)"

rows=()
failed=0
for entry in "${versions[@]}"; do
  case $entry in
    tofu-*)
      name="OpenTofu ${entry#tofu-}"
      ensure=(scripts/ensure-tofu.sh "${entry#tofu-}")
      env=(TF_ACC_PROVIDER_HOST=registry.opentofu.org TF_CLI_CONFIG_FILE="$tofurc")
      ;;
    *)
      name="Terraform $entry"
      ensure=(scripts/ensure-terraform.sh "$entry")
      env=(TF_CLI_CONFIG_FILE="$tfrc")
      ;;
  esac
  logfile="$out/$entry.log"
  start=$SECONDS
  failures=
  if ! cli="$("${ensure[@]}")"; then
    result=FAIL
    failures="the CLI did not build (see the output above)"
    : >"$logfile"
  else
    log "$name: go test ./internal/... (log: ${logfile#"$root"/})"
    if env TF_ACC=1 TF_ACC_TERRAFORM_PATH="$cli" PATH="$(dirname "$cli"):$PATH" "${env[@]}" \
      go test -count=1 -timeout 20m -v ./internal/... >"$logfile" 2>&1; then
      result=PASS
    else
      result=FAIL
      # Top-level tests that failed, and packages that failed without a failing test.
      failures="$(sed -n -E 's/^--- FAIL: ([^ ]+).*/\1/p; s/^FAIL[[:space:]]+([^[:space:]]+)[[:space:]]+\[.*\]$/\1 (build)/p' "$logfile" |
        sort -u | paste -sd ' ' -)"
      failures=${failures:-"see ${logfile#"$root"/}"}
    fi
  fi
  seconds=$((SECONDS - start))
  [[ $result == PASS ]] || failed=$((failed + 1))
  printf 'testacc-matrix: %-16s %s (%ss)%s\n' "$name" "$result" "$seconds" "${failures:+: $failures}"
  rows+=("| $name | $result | $seconds | ${failures:--} |")
done

{
  echo "# Acceptance tests by CLI version"
  echo
  echo "Written by scripts/testacc-matrix.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ) at $(git describe --always --dirty 2>/dev/null || echo unknown)."
  echo
  echo "| CLI | result | seconds | failing tests |"
  echo "|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} >"$out/summary.md"
log "summary: ${out#"$root"/}/summary.md"

if [[ $failed -gt 0 ]]; then
  log "$failed of ${#versions[@]} versions failed"
  exit 1
fi
