#!/usr/bin/env bash
# Runs `terraform test` in examples/testing against the mock token APIs with a locally
# built provider: the way docs/guides/testing-modules.md tells users to test their own
# modules. The tests' provisioner calls the mock with curl.
#
# Run from the repository root, normally through `make test-modules`, which sets:
#   TERRAFORM         path to the terraform binary (>= 1.10)
#   PROVIDER_BIN_DIR  directory holding the built terraform-provider-translationauth
# Everything it creates lives in .test-modules/ (git-ignored).
set -euo pipefail

TERRAFORM=${TERRAFORM:-terraform}
: "${PROVIDER_BIN_DIR:?set PROVIDER_BIN_DIR to the directory holding terraform-provider-translationauth}"

die() { echo "test-modules: $*" >&2; exit 1; }

[[ -f go.mod && -d examples/testing ]] || die "run me from the repository root"
command -v curl >/dev/null || die "curl is needed (the example module's provisioner uses it)"

work=$(pwd)/.test-modules
rm -rf "$work"
mkdir -p "$work"

# shellcheck source=scripts/lib/mockapi.sh
. scripts/lib/mockapi.sh
serve_mockapi "$work"

# `terraform test` honours dev_overrides: no `terraform init`, no registry.
write_dev_overrides "$work/terraformrc" "$(cd "$PROVIDER_BIN_DIR" && pwd)"
export TF_CLI_CONFIG_FILE=$work/terraformrc TF_IN_AUTOMATION=1

# A copy, so that no .terraform directory or state lands in examples/.
cp -R examples/testing "$work/module"
cd "$work/module"
"$TERRAFORM" test
