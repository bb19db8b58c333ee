#!/usr/bin/env bash
# Runs `terraform test` in examples/testing against the mock token APIs with a locally
# built provider: the way docs/guides/testing-modules.md tells users to test their own
# modules. The tests' provisioner calls the mock with curl. Then applies the copyable
# modules of examples/modules: downstream-wiring, which calls the three token modules,
# hashicorp/http and curl, against the mock's protected endpoints.
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

export TF_IN_AUTOMATION=1

# `terraform test` honours dev_overrides: no `terraform init`, no registry.
write_dev_overrides "$work/terraformrc" "$(cd "$PROVIDER_BIN_DIR" && pwd)"

# Copies, so that no .terraform directory, state or response file lands in examples/.
cp -R examples/testing "$work/module"
(cd "$work/module" && TF_CLI_CONFIG_FILE=$work/terraformrc "$TERRAFORM" test)

# The modules call other modules, which `terraform init` installs; it cannot install a
# provider under dev_overrides, so both providers come from filesystem mirrors: this
# build of translationauth as version 0.0.1, and hashicorp/http.
echo "test-modules: applying examples/modules/downstream-wiring"
mirror=$work/provider-mirror/registry.terraform.io/translationauth/translationauth/0.0.1/$(go env GOOS)_$(go env GOARCH)
mkdir -p "$mirror"
cp "$PROVIDER_BIN_DIR/terraform-provider-translationauth" "$mirror/terraform-provider-translationauth_v0.0.1"
cat >"$work/modules.tfrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$work/provider-mirror"
    include = ["registry.terraform.io/translationauth/translationauth"]
  }
  filesystem_mirror {
    path    = "$(scripts/ensure-http-provider.sh --mirror)"
    include = ["registry.terraform.io/hashicorp/http"]
  }
}
RC
cp -R examples/modules "$work/modules"
cd "$work/modules/downstream-wiring"
export TF_CLI_CONFIG_FILE=$work/modules.tfrc
"$TERRAFORM" init -input=false -no-color >"$work/modules-init.log" || { cat "$work/modules-init.log" >&2; die "terraform init failed"; }
# Smartling's default request path, its project's details, is one of the mock's
# Smartling API paths; SmartConnect's has no default.
paths=(-var smartconnect_request_path=/whoami)
"$TERRAFORM" apply -input=false -no-color -auto-approve "${paths[@]}"
# The easytranslate-token module serves an SSH copy: a plan opens it, without a server.
"$TERRAFORM" plan -input=false -no-color "${paths[@]}" \
  -var easytranslate_sync_host=sync.example.invalid -var ssh_private_key=unused >"$work/modules-plan.log" ||
  { cat "$work/modules-plan.log" >&2; die "the plan that opens the easytranslate-token module failed"; }
grep -q 'module.easytranslate_token\[0\].ephemeral.translationauth_easytranslate_token.this: Opening complete' "$work/modules-plan.log" ||
  die "the plan did not open the easytranslate-token module: see $work/modules-plan.log"
# The provisioners' output is hidden (it uses ephemeral values): check what they saved,
# an answer of the mock's protected API with the identity of the token's user.
for p in smartling smartconnect; do
  grep -q '"identity"' "$p-response.json" || die "$p-response.json holds no answer of the mock's protected API: $(cat "$p-response.json")"
done
echo "test-modules: downstream-wiring called Smartling and SmartConnect with the token modules' tokens, and opened EasyTranslate's"
