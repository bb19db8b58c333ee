#!/usr/bin/env bash
# Usage: scripts/ensure-tool.sh NAME
#
# Prints the absolute path of a pinned Go-installable build tool, installing it into
# .tools/bin with `go install` when it is missing or at another version. Known names:
#   golangci-lint   github.com/golangci/golangci-lint/v2 v2.15.0 (about 2 minutes)
#   goreleaser      github.com/goreleaser/goreleaser/v2  v2.15.0 (about 2.5 minutes)
# Progress goes to stderr; stdout carries only the path.
set -euo pipefail

log() { printf 'ensure-tool: %s\n' "$*" >&2; }

[[ $# -eq 1 ]] || {
  log "usage: $0 golangci-lint|goreleaser"
  exit 2
}

name=$1
case $name in
  golangci-lint)
    pkg=github.com/golangci/golangci-lint/v2/cmd/golangci-lint
    version=v2.15.0
    ;;
  goreleaser)
    pkg=github.com/goreleaser/goreleaser/v2
    version=v2.15.0
    ;;
  *)
    log "unknown tool '$name' (known: golangci-lint, goreleaser)"
    exit 2
    ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
target="$tools/bin/$name"

# installed_version: the main module version recorded in the binary's build info.
installed_version() {
  [[ -x $target ]] || return 0
  go version -m "$target" 2>/dev/null | awk '$1 == "mod" { print $3; exit }'
}

if [[ "$(installed_version)" == "$version" ]]; then
  printf '%s\n' "$target"
  exit 0
fi

mkdir -p "$tools/bin"

# Serialise concurrent installs (e.g. make -j); a second caller reuses the first's result.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$tools/.$name.lock"
  flock 9
  if [[ "$(installed_version)" == "$version" ]]; then
    printf '%s\n' "$target"
    exit 0
  fi
fi

log "installing $name $version into $tools/bin (takes a few minutes)"
start=$SECONDS
(
  cd "$tools"
  GOWORK=off GOBIN="$tools/bin" go install "$pkg@$version"
)
log "installed $name $version in $((SECONDS - start))s"
printf '%s\n' "$target"
