#!/usr/bin/env bash
# Prints the absolute path of a Terraform CLI >= 1.10 for the project to use.
#
# Order of preference:
#   1. `terraform` on PATH, if it is at least $MIN_VERSION;
#   2. .tools/bin/terraform, if an earlier run built it;
#   3. otherwise Terraform $TF_VERSION is built from source through the Go module
#      proxy into .tools/bin/terraform (about 3.5 minutes on 2 cores).
#
# Nothing is downloaded from releases.hashicorp.com. Progress goes to stderr; stdout
# carries only the path.
set -euo pipefail

readonly MIN_VERSION=1.10.0
readonly TF_VERSION=1.11.4
readonly TF_MODULE=github.com/hashicorp/terraform
# The v1.11.4 tag's pseudo-version, used for Terraform's nested internal modules.
readonly TF_INTERNAL_PSEUDO=v0.0.0-20250409131005-35645b8fca68

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
target="$tools/bin/terraform"

# No update checks against checkpoint-api.hashicorp.com while probing versions.
export CHECKPOINT_DISABLE=1

log() { printf 'ensure-terraform: %s\n' "$*" >&2; }

# version_at_least BINARY: true when BINARY reports a version >= MIN_VERSION.
version_at_least() {
  local v
  v="$(TF_CLI_CONFIG_FILE=/dev/null "$1" version -json 2>/dev/null |
    sed -n 's/^ *"terraform_version": *"\([^"]*\)".*/\1/p')" || return 1
  v="${v%%-*}"
  [[ -n $v ]] || return 1
  [[ "$(printf '%s\n%s\n' "$MIN_VERSION" "$v" | sort -V | head -n 1)" == "$MIN_VERSION" ]]
}

if found="$(command -v terraform 2>/dev/null)" && [[ $found == /* ]] && version_at_least "$found"; then
  printf '%s\n' "$found"
  exit 0
fi

if [[ -x $target ]] && version_at_least "$target"; then
  printf '%s\n' "$target"
  exit 0
fi

command -v go >/dev/null 2>&1 || {
  log "no Terraform >= $MIN_VERSION on PATH and no Go toolchain to build one"
  exit 1
}

mkdir -p "$tools/bin"

# Serialise concurrent builds (e.g. make -j); a second caller reuses the first's result.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$tools/.terraform.lock"
  flock 9
  if [[ -x $target ]] && version_at_least "$target"; then
    printf '%s\n' "$target"
    exit 0
  fi
fi

log "building Terraform v$TF_VERSION from source into $target (takes a few minutes)"
start=$SECONDS

work="$(mktemp -d "$tools/terraform-build.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"' EXIT

# Work outside any module or workspace so the project's go.mod plays no part.
export GOWORK=off GOFLAGS=-mod=mod

cd "$work"
moddir="$(go mod download -json "$TF_MODULE@v$TF_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": *"\([^"]*\)".*/\1/p')"
[[ -n $moddir && -d $moddir ]] || {
  log "go mod download $TF_MODULE@v$TF_VERSION gave no module directory"
  exit 1
}

cp -R "$moddir/." "$work/src"
chmod -R u+w "$work/src"
cd "$work/src"

# godebug tlskyber was removed from Go; current toolchains reject it.
go mod edit -dropgodebug=tlskyber

# The module zip leaves out Terraform's nested modules under ./internal, so their
# replace directives point nowhere: require the tag's pseudo-version instead.
internal_mods="$(sed -n -E 's#^[[:space:]]*(replace[[:space:]]+)?([^[:space:]]+)[[:space:]]+=>[[:space:]]+\./internal/.*#\2#p' go.mod)"
for mod in $internal_mods; do
  go mod edit -dropreplace="$mod" -require="$mod@$TF_INTERNAL_PSEUDO"
done

go mod download
# version.dev=no makes it report "1.11.4" as a release build does, not "1.11.4-dev".
go build -mod=mod -trimpath \
  -ldflags "-s -w -X $TF_MODULE/version.dev=no" \
  -o "$work/terraform" .

mv -f "$work/terraform" "$target"
log "built $("$target" version 2>/dev/null | head -n 1) in $((SECONDS - start))s"
printf '%s\n' "$target"
