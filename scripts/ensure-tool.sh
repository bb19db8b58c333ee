#!/usr/bin/env bash
# Usage: scripts/ensure-tool.sh NAME
#
# Prints the absolute path of a pinned Go-installable build tool, installing it into
# $TOOLS_DIR/bin (default .tools/bin) with `go install` when it is missing or at another
# version. Known names:
#   golangci-lint   github.com/golangci/golangci-lint/v2 v2.15.0 (about 2 minutes)
#   goreleaser      github.com/goreleaser/goreleaser/v2  v2.15.0 (about 2.5 minutes)
#   actionlint      github.com/rhysd/actionlint          v1.7.12 (under a minute)
# Progress goes to stderr; stdout carries only the path.
set -euo pipefail

log() { printf 'ensure-tool: %s\n' "$*" >&2; }

# shellcheck source=scripts/lib/tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"

[[ $# -eq 1 ]] || {
  log "usage: $0 golangci-lint|goreleaser|actionlint"
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
  actionlint)
    pkg=github.com/rhysd/actionlint/cmd/actionlint
    version=v1.7.12
    ;;
  *)
    log "unknown tool '$name' (known: golangci-lint, goreleaser, actionlint)"
    exit 2
    ;;
esac

tools="$(tools_dir)"
target="$tools/bin/$name"

if [[ "$(go_bin_version "$target")" == "$version" ]]; then
  printf '%s\n' "$target"
  exit 0
fi

lock_file "$tools/.$name.lock"
if [[ "$(go_bin_version "$target")" == "$version" ]]; then
  printf '%s\n' "$target"
  exit 0
fi

log "installing $name $version into $tools/bin (takes a few minutes)"
go_install "$pkg@$version" "$tools/bin"
printf '%s\n' "$target"
