#!/usr/bin/env bash
# Usage: scripts/ensure-terraform.sh [VERSION]
#
# Prints the absolute path of a Terraform CLI for the project to use.
#
# Without VERSION, a Terraform >= $MIN_VERSION for `make test`:
#   1. `terraform` on PATH, if it is at least $MIN_VERSION;
#   2. otherwise Terraform $DEFAULT_VERSION, as below.
# With VERSION (e.g. 1.9.8), exactly that version: $TOOLS_DIR/terraform/VERSION/terraform,
# built from source through the Go module proxy the first time (3.5 to 5 minutes on 2 cores)
# and reused afterwards. TOOLS_DIR defaults to the repository's .tools; point it at a
# directory outside the checkout to share builds between checkouts.
#
# Nothing is downloaded from releases.hashicorp.com. Progress goes to stderr; stdout
# carries only the path.
set -euo pipefail

readonly MIN_VERSION=1.10.0
readonly DEFAULT_VERSION=1.11.4
readonly TF_MODULE=github.com/hashicorp/terraform

# The module zip of github.com/hashicorp/terraform leaves out its nested modules under
# ./internal (remote state backends, internal/legacy), so go.mod's replace directives for
# them point nowhere. The build requires them at a pseudo-version instead: the tag's own,
# v0.0.0-<commit time, UTC>-<first 12 hex digits of the tag's commit>, when the module proxy
# serves it (the time is in `go mod download -json github.com/hashicorp/terraform@vX`'s
# .info file; the commit is `git rev-parse vX^{commit}` in a clone of the repository). The
# proxy refuses the pseudo-versions of v1.10.5 and v1.13.3 (and of every other v1.10 and
# v1.13 tag), so those two take the nearest tag's nested modules whose source compiles with
# them: they hold only backends the tests never use. TF_INTERNAL_MODULES_VERSION overrides.
internal_modules_version() {
  case $1 in
    1.9.8) echo v0.0.0-20241016122859-e044e569c5bc ;;
    1.10.5) echo v0.0.0-20250409131005-35645b8fca68 ;; # v1.11.4's
    1.11.4) echo v0.0.0-20250409131005-35645b8fca68 ;;
    1.12.2) echo v0.0.0-20250611102208-ce0baf874af9 ;;
    1.13.3) echo v0.0.0-20250611102208-ce0baf874af9 ;; # v1.12.2's
  esac
}

log() { printf 'ensure-terraform: %s\n' "$*" >&2; }

# shellcheck source=scripts/lib/tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"

# version_at_least BINARY: true when BINARY reports a version >= MIN_VERSION.
version_at_least() {
  local v
  v="$(cli_version "$1")"
  v="${v%%-*}"
  [[ -n $v ]] || return 1
  [[ "$(printf '%s\n%s\n' "$MIN_VERSION" "$v" | sort -V | head -n 1)" == "$MIN_VERSION" ]]
}

# patch_go_mod VERSION: run in the copied source, makes its go.mod build offline.
patch_go_mod() {
  # godebug tlskyber (v1.11) was removed from Go; current toolchains reject it.
  go mod edit -dropgodebug=tlskyber
  local mods mod pseudo
  mods="$(sed -n -E 's#^[[:space:]]*(replace[[:space:]]+)?([^[:space:]]+)[[:space:]]+=>[[:space:]]+\./internal/.*#\2#p' go.mod)"
  [[ -n $mods ]] || return 0
  pseudo="${TF_INTERNAL_MODULES_VERSION:-$(internal_modules_version "$1")}"
  [[ -n $pseudo ]] || {
    log "Terraform v$1 has nested modules under ./internal and no known pseudo-version for them:"
    log "set TF_INTERNAL_MODULES_VERSION (see the comment in $0)"
    return 1
  }
  for mod in $mods; do
    go mod edit -dropreplace="$mod" -require="$mod@$pseudo"
  done
}

case $# in
  0) version= ;;
  1) version=${1#v} ;;
  *)
    log "usage: $0 [VERSION]"
    exit 2
    ;;
esac

if [[ -z $version ]]; then
  if found="$(command -v terraform 2>/dev/null)" && [[ $found == /* ]] && version_at_least "$found"; then
    printf '%s\n' "$found"
    exit 0
  fi
  version=$DEFAULT_VERSION
fi

ensure_cli terraform "$version" "$TF_MODULE" . patch_go_mod "$version"
