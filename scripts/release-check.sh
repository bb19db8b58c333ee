#!/usr/bin/env bash
# Usage: GORELEASER=/path/to/goreleaser [RELEASE_FULL=1] scripts/release-check.sh
#
# Checks .goreleaser.yml and builds a snapshot: by default the binary of this
# platform only (goreleaser build --single-target), with RELEASE_FULL=1 the whole
# unsigned, unpublished release (every platform, zip archives, SHA256SUMS and the
# registry manifest; several minutes). Then it writes the release notes the release
# would publish, the newest CHANGELOG.md section (scripts/release-notes.sh), to
# dist/release-notes.md. goreleaser wants a git remote: without one,
# this runs in a throwaway clone (with the working tree's changes copied in) whose
# origin is a placeholder URL, and moves its dist/ back here. Run from the
# repository root (make release-check).
set -euo pipefail

goreleaser="${GORELEASER:?GORELEASER must name the goreleaser binary}"
root="$(pwd)"

run() {
  "$goreleaser" check
  if [[ -n "${RELEASE_FULL:-}" ]]; then
    "$goreleaser" release --snapshot --clean --skip=publish,sign
  else
    "$goreleaser" build --snapshot --clean --single-target
  fi
}

# goreleaser skips release notes in a snapshot, so they are checked on their own.
notes() {
  scripts/release-notes.sh >"$root/dist/release-notes.md"
  echo "release-check: release notes ($(wc -l <"$root/dist/release-notes.md") lines of CHANGELOG.md) in dist/release-notes.md"
}

if [[ -n "$(git remote)" ]]; then
  run
  notes
  exit
fi
tmp="$(mktemp -d "${TMPDIR:-/tmp}/release-check.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
git clone --quiet --no-hardlinks "$root" "$tmp/repo"
git ls-files -z --cached --others --exclude-standard |
  tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$tmp/repo"
git -C "$tmp/repo" remote set-url origin https://github.com/translationauth/terraform-provider-translationauth.git
echo "release-check: no git remote here, checking a copy in $tmp/repo"
(cd "$tmp/repo" && run)
rm -rf "$root/dist"
mv "$tmp/repo/dist" "$root/dist"
notes
