#!/usr/bin/env bash
# Usage: scripts/ensure-tofu.sh [VERSION]
#
# Prints the absolute path of an OpenTofu CLI, by default v$DEFAULT_VERSION (the one
# `make testacc-tofu` uses): $TOOLS_DIR/tofu/VERSION/tofu, built from source through the
# Go module proxy the first time (about 4 minutes on 2 cores) and reused afterwards.
# TOOLS_DIR defaults to the repository's .tools. OpenTofu's go.mod needs no patch.
# Progress goes to stderr; stdout carries only the path.
set -euo pipefail

readonly DEFAULT_VERSION=1.12.6
readonly TOFU_MODULE=github.com/opentofu/opentofu

log() { printf 'ensure-tofu: %s\n' "$*" >&2; }

# shellcheck source=scripts/lib/tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"

case $# in
  0) version=$DEFAULT_VERSION ;;
  1) version=${1#v} ;;
  *)
    log "usage: $0 [VERSION]"
    exit 2
    ;;
esac

ensure_cli tofu "$version" "$TOFU_MODULE" ./cmd/tofu
