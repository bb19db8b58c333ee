#!/usr/bin/env bash
# Usage: scripts/ensure-http-provider.sh [--tofu | --mirror]
#
# Makes the hashicorp/http provider available offline, for tests and examples that use it
# next to translationauth:
#   - builds it from the Go module proxy into $TOOLS_DIR/bin/terraform-provider-http
#     ($TOOLS_DIR defaults to .tools);
#   - lays it out as a filesystem mirror under $TOOLS_DIR/provider-mirror, as version
#     3.6.0, for both registry.terraform.io and registry.opentofu.org;
#   - writes CLI configuration files that install hashicorp/http from that mirror and
#     everything else directly: $TOOLS_DIR/terraformrc (Terraform) and $TOOLS_DIR/tofurc
#     (OpenTofu).
# Prints the absolute path of the Terraform CLI configuration, with --tofu of the
# OpenTofu one, with --mirror of the mirror directory. Progress goes to stderr; stdout carries only the path.
set -euo pipefail

# A commit after v3.6.0: the github.com/hashicorp/... path and the v3 tags do not resolve
# on the module mirror, the old terraform-providers path does.
readonly PKG=github.com/terraform-providers/terraform-provider-http
readonly PKG_VERSION=v1.2.1-0.20260903154542-926109cd8c07
readonly AS_VERSION=3.6.0

log() { printf 'ensure-http-provider: %s\n' "$*" >&2; }

# shellcheck source=scripts/lib/tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"

print=terraform
case ${1:-} in
  "") ;;
  --tofu) print=tofu ;;
  --mirror) print=mirror ;;
  *)
    log "usage: $0 [--tofu | --mirror]"
    exit 2
    ;;
esac

tools="$(tools_dir)"
bin="$tools/bin/terraform-provider-http"
mirror="$tools/provider-mirror"
platform="$(go env GOOS)_$(go env GOARCH)"

mkdir -p "$tools/bin"
lock_file "$tools/.http-provider.lock"

if [[ "$(go_bin_version "$bin")" != "$PKG_VERSION" ]]; then
  log "installing $PKG@$PKG_VERSION into $tools/bin"
  go_install "$PKG@$PKG_VERSION" "$tools/bin"
fi

# write_if_changed FILE CONTENT: keeps the file (and its mtime) when nothing changes.
write_if_changed() {
  if [[ ! -f $1 || "$(cat "$1")" != "$2" ]]; then
    printf '%s\n' "$2" >"$1.tmp.$$"
    mv -f "$1.tmp.$$" "$1"
  fi
}

for host in registry.terraform.io registry.opentofu.org; do
  dir="$mirror/$host/hashicorp/http/$AS_VERSION/$platform"
  exe="$dir/terraform-provider-http_v$AS_VERSION"
  if ! cmp -s "$bin" "$exe"; then
    mkdir -p "$dir"
    cp -f "$bin" "$exe.tmp.$$"
    mv -f "$exe.tmp.$$" "$exe"
  fi
done

cli_config() { # HOST
  cat <<CONFIG
# Written by scripts/ensure-http-provider.sh: hashicorp/http from the local mirror,
# every other provider as usual.
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["$1/hashicorp/http"]
  }
  direct {
    exclude = ["$1/hashicorp/http"]
  }
}
CONFIG
}

write_if_changed "$tools/terraformrc" "$(cli_config registry.terraform.io)"
write_if_changed "$tools/tofurc" "$(cli_config registry.opentofu.org)"

case $print in
  tofu) printf '%s\n' "$tools/tofurc" ;;
  mirror) printf '%s\n' "$mirror" ;;
  *) printf '%s\n' "$tools/terraformrc" ;;
esac
