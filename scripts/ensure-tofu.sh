#!/usr/bin/env bash
# Prints the absolute path of the OpenTofu CLI used by `make testacc-tofu`:
# .tools/bin/tofu, built from source through the Go module proxy when missing
# (OpenTofu v1.12.6; `go install` cannot build it because of its replace directives).
# Progress goes to stderr; stdout carries only the path.
set -euo pipefail

readonly TOFU_VERSION=1.12.6
readonly TOFU_MODULE=github.com/opentofu/opentofu

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
target="$tools/bin/tofu"

log() { printf 'ensure-tofu: %s\n' "$*" >&2; }

installed_version() {
  [[ -x $target ]] || return 0
  TF_CLI_CONFIG_FILE=/dev/null "$target" version -json 2>/dev/null |
    sed -n 's/^ *"terraform_version": *"\([^"]*\)".*/\1/p'
}

if [[ "$(installed_version)" == "$TOFU_VERSION" ]]; then
  printf '%s\n' "$target"
  exit 0
fi

command -v go >/dev/null 2>&1 || {
  log "no Go toolchain to build OpenTofu with"
  exit 1
}

mkdir -p "$tools/bin"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$tools/.tofu.lock"
  flock 9
  if [[ "$(installed_version)" == "$TOFU_VERSION" ]]; then
    printf '%s\n' "$target"
    exit 0
  fi
fi

log "building OpenTofu v$TOFU_VERSION from source into $target (takes a few minutes)"
start=$SECONDS

work="$(mktemp -d "$tools/tofu-build.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"' EXIT

export GOWORK=off GOFLAGS=-mod=mod

cd "$work"
moddir="$(go mod download -json "$TOFU_MODULE@v$TOFU_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": *"\([^"]*\)".*/\1/p')"
[[ -n $moddir && -d $moddir ]] || {
  log "go mod download $TOFU_MODULE@v$TOFU_VERSION gave no module directory"
  exit 1
}

cp -R "$moddir/." "$work/src"
chmod -R u+w "$work/src"
cd "$work/src"

# version.dev=no makes it report "1.12.6" as a release build does, not "1.12.6-dev".
go build -mod=mod -trimpath \
  -ldflags "-s -w -X $TOFU_MODULE/version.dev=no" \
  -o "$work/tofu" ./cmd/tofu

mv -f "$work/tofu" "$target"
log "built $(installed_version | sed 's/^/OpenTofu v/') in $((SECONDS - start))s"
printf '%s\n' "$target"
