#!/usr/bin/env bash
# Applies examples/demo against the mock token APIs with a locally built
# provider, then shows the outputs and how many calls each mock API received.
#
# Run from the repository root, normally through `make demo`, which sets:
#   TERRAFORM         path to the terraform binary (>= 1.10)
#   PROVIDER_BIN_DIR  directory holding the built terraform-provider-translationauth
# Everything it creates lives in .demo/ (git-ignored).
set -euo pipefail

TERRAFORM=${TERRAFORM:-terraform}
: "${PROVIDER_BIN_DIR:?set PROVIDER_BIN_DIR to the directory holding terraform-provider-translationauth}"

die() { echo "demo: $*" >&2; exit 1; }

[[ -f go.mod && -d examples/demo ]] || die "run me from the repository root"
PROVIDER_BIN_DIR=$(cd "$PROVIDER_BIN_DIR" && pwd) # dev_overrides needs an absolute path
[[ -x $PROVIDER_BIN_DIR/terraform-provider-translationauth ]] ||
	die "no terraform-provider-translationauth in $PROVIDER_BIN_DIR"
command -v curl >/dev/null || die "curl is needed (the demo's token consumers use it)"

# The mock APIs and the proxies listen on 127.0.0.1. curl would send even those addresses to a
# forward proxy named by HTTP_PROXY or HTTPS_PROXY: keep the demo's calls, and those of the
# provisioners Terraform runs, off it.
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost

demo=$(pwd)/.demo
mkdir -p "$demo"

# --- the mock token APIs ----------------------------------------------------
echo "== building and starting the mock token APIs"
# shellcheck source=scripts/lib/mockapi.sh
. scripts/lib/mockapi.sh
# Smartling tokens live 6 seconds here instead of 480, so that the demo's proxy can be
# seen serving a request after the token it started with has expired.
serve_mockapi "$demo" -smartling-access-ttl 6s # exports the SMARTLING_*, EASYTRANSLATE_*, SMARTCONNECT_* credentials and MOCKAPI_URL
echo "mock token APIs at $MOCKAPI_URL"

# --- terraform with the local provider ---------------------------------------
write_dev_overrides "$demo/terraformrc" "$PROVIDER_BIN_DIR"
export TF_CLI_CONFIG_FILE=$demo/terraformrc
export TF_IN_AUTOMATION=1

work=$demo/work
rm -rf "$work"
mkdir -p "$work"
cp -R examples/demo/. "$work/"
cd "$work"

echo
echo "== terraform apply (no init needed with dev_overrides)"
"$TERRAFORM" apply -auto-approve -input=false

echo
echo "== terraform output"
"$TERRAFORM" output

echo
echo "== what the ephemeral tokens' consumers saw (GET {api_base_url}/whoami)"
for f in ephemeral-*.txt; do
	cat "$f"
done

echo
echo "== the Smartling proxy: two requests through it, 8 seconds apart, with 6-second tokens"
cat proxy-smartling.txt

echo
echo "== calls received by the mock token APIs"
if command -v jq >/dev/null; then
	curl -fsS "$MOCKAPI_URL/_mock/stats" | jq .
else
	curl -fsS "$MOCKAPI_URL/_mock/stats"
	echo
fi
