#!/usr/bin/env bash
# Usage: scripts/release-notes.sh [VERSION]
#
# Prints the CHANGELOG.md section of VERSION (v0.1.0 or 0.1.0), without its heading: the
# release notes goreleaser publishes (.github/workflows/release.yml passes them with
# --release-notes). Fails when the section is missing, empty or still headed
# "(Unreleased)". Without VERSION it prints the newest section whatever its heading, which
# is how `make release-check` tries the notes before a release. Run from the repository root.
set -euo pipefail

version="${1:-}"
version="${version#v}"
changelog=CHANGELOG.md

# The heading line of the section, then its body up to the next "## " heading.
heading="$(awk -v v="$version" '
  /^## / && (v == "" || index($0, "## " v " ") == 1) { print; exit }' "$changelog")"
if [[ -z $heading ]]; then
  echo "release-notes: no \"## ${version:-<version>} (...)\" heading in $changelog" >&2
  exit 1
fi
if [[ -n $version && $heading == *Unreleased* ]]; then
  echo "release-notes: $changelog still says \"$heading\": give it the release date first" >&2
  exit 1
fi
notes="$(awk -v h="$heading" '
  $0 == h { inside = 1; next }
  inside && /^## / { exit }
  inside { print }' "$changelog")"
if [[ -z ${notes//[[:space:]]/} ]]; then
  echo "release-notes: the \"$heading\" section of $changelog is empty" >&2
  exit 1
fi
# Without the blank lines around the section.
printf '%s\n' "$notes" | sed -e '/./,$!d' | tac | sed -e '/./,$!d' | tac
