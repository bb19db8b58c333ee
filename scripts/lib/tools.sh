# shellcheck shell=bash
# Sourced by the scripts/ensure-*.sh scripts, which install the tools the project needs
# into $TOOLS_DIR (default: <repo>/.tools) on first use. Point TOOLS_DIR at a directory
# outside the checkout to share the tools between checkouts:
#   TOOLS_DIR=/some/dir scripts/ensure-terraform.sh 1.9.8
# The caller defines log().

# tools_dir: prints $TOOLS_DIR as an absolute path, or the repository's .tools.
tools_dir() {
  local dir=${TOOLS_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.tools}
  mkdir -p "$dir"
  (cd "$dir" && pwd)
}

# go_bin_version BINARY: the main module version recorded in a Go binary's build info.
go_bin_version() {
  [[ -x $1 ]] || return 0
  go version -m "$1" 2>/dev/null | awk '$1 == "mod" { print $3; exit }'
}

# cli_version BINARY: the version BINARY reports, e.g. "1.11.4"; nothing if it is missing.
cli_version() {
  [[ -x $1 ]] || return 0
  TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$1" version -json 2>/dev/null |
    sed -n 's/^ *"terraform_version": *"\([^"]*\)".*/\1/p'
}

# lock_file FILE: holds an exclusive lock on FILE until the calling script exits, so that
# concurrent callers (make -j, several checkouts sharing TOOLS_DIR) install a tool once.
lock_file() {
  command -v flock >/dev/null 2>&1 || return 0
  mkdir -p "$(dirname "$1")"
  exec 9>"$1"
  flock 9
}

# go_install PACKAGE@VERSION DIR: `go install`s a tool into DIR, outside any module.
go_install() {
  local start=$SECONDS
  mkdir -p "$2"
  (
    cd "$2" || exit
    GOWORK=off GOBIN="$2" go install "$1"
  )
  log "installed $1 in $((SECONDS - start))s"
}

# build_cli MODULE VERSION PACKAGE TARGET [PATCH_COMMAND...]: builds PACKAGE of
# MODULE@vVERSION into TARGET as a release build (reporting "VERSION", not "VERSION-dev").
# The module's source is copied out of the module cache into a scratch directory beside
# TARGET, where PATCH_COMMAND, if given, runs to adjust go.mod. This is how Terraform and
# OpenTofu are built: `go install` cannot build either (both have replace directives).
# Runs in a subshell.
build_cli() (
  local module=$1 version=$2 pkg=$3 target=$4
  shift 4
  local start=$SECONDS dir json moddir work
  dir="$(dirname "$target")"
  mkdir -p "$dir"
  work="$(mktemp -d "$dir/.build.XXXXXX")"
  trap 'chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"' EXIT

  # Work outside any module or workspace so that no project's go.mod plays a part.
  export GOWORK=off GOFLAGS=-mod=mod
  cd "$work" || exit
  json="$(go mod download -json "$module@v$version" 2>&1)" || {
    log "go mod download $module@v$version failed: $json"
    exit 1
  }
  moddir="$(sed -n 's/^[[:space:]]*"Dir": *"\([^"]*\)".*/\1/p' <<<"$json")"
  [[ -n $moddir && -d $moddir ]] || {
    log "go mod download $module@v$version gave no module directory"
    exit 1
  }
  cp -R "$moddir/." "$work/src"
  chmod -R u+w "$work/src"
  cd "$work/src" || exit

  if [[ $# -gt 0 ]]; then
    "$@"
  fi
  go mod download
  # version.dev=no: report "1.11.4" as a release build does, not "1.11.4-dev".
  go build -mod=mod -trimpath -ldflags "-s -w -X $module/version.dev=no" -o "$work/cli" "$pkg"
  mv -f "$work/cli" "$target"
  log "built $(basename "$target") $(cli_version "$target") into $target in $((SECONDS - start))s"
)

# ensure_cli NAME VERSION MODULE PACKAGE [PATCH_COMMAND...]: prints the path of
# $TOOLS_DIR/NAME/VERSION/NAME (NAME is terraform or tofu), building PACKAGE of
# MODULE@vVERSION there first (build_cli) unless it is there and reports VERSION.
ensure_cli() {
  local name=$1 version=$2 module=$3 pkg=$4
  shift 4
  local tools target
  tools="$(tools_dir)"
  target="$tools/$name/$version/$name"
  if [[ "$(cli_version "$target")" != "$version" ]]; then
    command -v go >/dev/null 2>&1 || {
      log "no $name $version in $tools and no Go toolchain to build it"
      return 1
    }
    lock_file "$tools/$name/.$version.lock"
    # A concurrent caller may have built it while this one waited for the lock.
    if [[ "$(cli_version "$target")" != "$version" ]]; then
      log "building $module v$version from source into $target (takes a few minutes)"
      build_cli "$module" "$version" "$pkg" "$target" "$@" || return 1
    fi
  fi
  printf '%s\n' "$target"
}
