#!/usr/bin/env bash
# Token reuse at its limit: translationauth_smartling_token against the
# hand-rolled alternative (a hashicorp/http data source per token), side by side
# in one run, against the same mock Smartling API.
#
# For N token reads in one `terraform plan` (N = 1, 10, 100) with one and with
# several distinct credential sets, it measures
#   - token-endpoint calls (mock /_mock/stats, reset before every plan);
#   - median wall time of `terraform plan -refresh=true` over several runs;
#   - the provider processes' peak RSS (max over all plugin launches of a plan).
# It prints a Markdown table and writes BENCHMARKS.md.
#
# Run from the repository root, normally through `make bench`. Environment (all
# optional; unset ones are found or built the way `make` would):
#   TERRAFORM             terraform binary (default: scripts/ensure-terraform.sh)
#   PROVIDER_BIN_DIR      directory holding terraform-provider-translationauth
#                         (default: built into .bench/bin)
#   HTTP_PROVIDER_MIRROR  filesystem mirror holding hashicorp/http
#                         (default: the one scripts/ensure-http-provider.sh makes)
#   BENCH_RUNS=9  BENCH_NS="1 10 100"  BENCH_SETS="1 5"  BENCH_LATENCY=150ms
#   BENCH_OUT=BENCHMARKS.md
# Everything it creates lives in .bench/ (git-ignored).
set -euo pipefail

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }

[[ -f go.mod && -d scripts/bench ]] || die "run me from the repository root"
root=$(pwd)

RUNS=${BENCH_RUNS:-9}
NS=${BENCH_NS:-"1 10 100"}
SETS=${BENCH_SETS:-"1 5"}
LATENCY=${BENCH_LATENCY:-150ms}
OUT=${BENCH_OUT:-BENCHMARKS.md}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer"

command -v curl >/dev/null || die "curl is needed (to read the mock's counters)"
command -v python3 >/dev/null || die "python3 is needed (medians and the table)"

export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
unset TF_PLUGIN_CACHE_DIR TF_LOG TF_LOG_PROVIDER TF_LOG_PATH

bench=$root/.bench
rm -rf "$bench"
mkdir -p "$bench/bin" "$bench/work"

# --- tools -----------------------------------------------------------------------
TERRAFORM=${TERRAFORM:-$(scripts/ensure-terraform.sh)}
[[ -x $TERRAFORM ]] || TERRAFORM=$(command -v "$TERRAFORM") || die "no terraform"

if [[ -n ${PROVIDER_BIN_DIR:-} ]]; then
	provider_bin=$(cd "$PROVIDER_BIN_DIR" && pwd)/terraform-provider-translationauth
else
	log "building the provider into $bench/bin"
	go build -o "$bench/bin/terraform-provider-translationauth" .
	provider_bin=$bench/bin/terraform-provider-translationauth
fi
[[ -x $provider_bin ]] || die "no provider binary at $provider_bin"

if [[ -z ${HTTP_PROVIDER_MIRROR:-} ]]; then
	http_rc=$(scripts/ensure-http-provider.sh)
	HTTP_PROVIDER_MIRROR=$(sed -n 's/^[[:space:]]*path[[:space:]]*=[[:space:]]*"\(.*\)"[[:space:]]*$/\1/p' "$http_rc" | head -n 1)
fi
platform=$(go env GOOS)_$(go env GOARCH)
http_bin=$(find "$HTTP_PROVIDER_MIRROR/registry.terraform.io/hashicorp/http" -path "*/$platform/terraform-provider-http_v*" \
	-type f 2>/dev/null | sort -V | tail -n 1)
[[ -n $http_bin && -x $http_bin ]] || die "no hashicorp/http for $platform in $HTTP_PROVIDER_MIRROR"
http_version=$(basename "$(dirname "$(dirname "$http_bin")")")

log "building the mock API"
go build -o "$bench/bin/mockapi" ./internal/mockapi/cmd/mockapi

# --- provider wrappers that record peak memory -------------------------------------
# Terraform starts each provider through a wrapper that runs the real binary under
# GNU time, which appends the child's peak RSS (KiB) to $BENCH_MEM_FILE, one line per
# launch. Both providers get the same wrapper, so its cost (a sh and a time process
# per launch) is the same on both sides.
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
	have_time=1
else
	have_time=0
	log "no GNU time at /usr/bin/time: peak memory will not be measured"
fi
wrapper() { # REAL_BINARY
	if ((have_time)); then
		# shellcheck disable=SC2016 # $BENCH_MEM_FILE and $@ are for the wrapper to expand
		printf '#!/bin/sh\nexec /usr/bin/time -f %%M -a -o "${BENCH_MEM_FILE:-/dev/null}" %q "$@"\n' "$1"
	else
		# shellcheck disable=SC2016
		printf '#!/bin/sh\nexec %q "$@"\n' "$1"
	fi
}
# Both providers come from one filesystem mirror of our own whose "binaries" are the
# wrappers, and both directories are initialised from it: Terraform installs, verifies
# and launches the two the same way (dev_overrides would skip the checksum work for one
# side only). terraform init records the checksums, so the wrappers are in place first.
mirror_provider() { # TYPE VERSION BINARY
	local dir=$bench/mirror/registry.terraform.io/$1/$2/$platform
	mkdir -p "$dir"
	wrapper "$3" >"$dir/terraform-provider-${1##*/}_v$2"
	chmod +x "$dir/terraform-provider-${1##*/}_v$2"
}
mirror_provider translationauth/translationauth 0.1.0 "$provider_bin"
mirror_provider hashicorp/http "$http_version" "$http_bin"

export TF_CLI_CONFIG_FILE=$bench/terraformrc
cat >"$TF_CLI_CONFIG_FILE" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$bench/mirror"
    include = ["registry.terraform.io/hashicorp/http", "registry.terraform.io/translationauth/translationauth"]
  }
}
RC

# --- the mock token API --------------------------------------------------------------
max_sets=1
for s in $SETS; do
	[[ $s =~ ^[1-9][0-9]*$ ]] || die "BENCH_SETS must hold positive integers"
	if ((s > max_sets)); then max_sets=$s; fi
done
for n in $NS; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "BENCH_NS must hold positive integers"; done
# shellcheck source=scripts/lib/mockapi.sh
. "$root/scripts/lib/mockapi.sh"
start_mockapi "$bench/bin/mockapi" "$bench" -latency "$LATENCY" -smartling-users "$max_sets"
# Only the two URLs: the credentials in the env file must not reach terraform.
# shellcheck source=/dev/null
mock_url=$(. "$env_file" && printf '%s' "$MOCKAPI_URL")
# shellcheck source=/dev/null
smartling_url=$(. "$env_file" && printf '%s' "$SMARTLING_BASE_URL")
log "mock API at $mock_url (latency $LATENCY, $max_sets bench users)"
# The provider takes the API root from the environment, as in CI, so that neither side
# needs a provider block (the http provider has none to configure).
export SMARTLING_BASE_URL=$smartling_url

mock_reset() { curl -fsS -X POST "$mock_url/_mock/reset" >/dev/null; }
# token-endpoint calls of Smartling since the last reset (authenticate + refresh)
mock_calls() {
	curl -fsS "$mock_url/_mock/stats" |
		python3 -c 'import json,sys; s=json.load(sys.stdin)["smartling"]; print(s["authenticate"]+s["refresh"])'
}

# --- one prepared directory per case ---------------------------------------------------
cases=()
for n in $NS; do
	for s in $SETS; do
		for tool in provider http; do
			c=$tool-n$n-s$s
			cases+=("$c")
			mkdir -p "$bench/work/$c"
			cp scripts/bench/$tool/*.tf "$bench/work/$c/"
			printf 'n    = %s\nsets = %s\n' "$n" "$s" >"$bench/work/$c/terraform.tfvars"
			if [[ $tool == http ]]; then
				printf 'smartling_base_url = "%s"\n' "$smartling_url" >>"$bench/work/$c/terraform.tfvars"
			fi
		done
	done
done

log "terraform init in every case directory (not timed)"
for c in "${cases[@]}"; do
	(cd "$bench/work/$c" && "$TERRAFORM" init -input=false -no-color >init.log 2>&1) ||
		{ cat "$bench/work/$c/init.log" >&2; die "terraform init failed in $c"; }
done

PLAN=(plan -refresh=true -input=false -no-color)
results=$bench/results.tsv
printf 'tool\tn\tsets\trun\twall_ms\tcalls\tpeak_kib\tlaunches\n' >"$results"

# plan_once CASE RUN: one timed plan; appends a row to $results (RUN 0 = warm-up, not kept).
plan_once() {
	local c=$1 run=$2 dir=$bench/work/$1 mem=$bench/work/$1/mem.txt t0 t1 calls peak launches
	local tool=${c%%-*} rest=${c#*-n}
	mock_reset
	: >"$mem"
	t0=$(date +%s%N)
	if ! (cd "$dir" && BENCH_MEM_FILE=$mem "$TERRAFORM" "${PLAN[@]}" >plan.log 2>&1); then
		cat "$dir/plan.log" >&2
		die "terraform plan failed in $c"
	fi
	t1=$(date +%s%N)
	calls=$(mock_calls)
	grep -q 'tokens_read *= *'"${rest%-s*}" "$dir/plan.log" || { cat "$dir/plan.log" >&2; die "$c: unexpected plan output"; }
	peak=$(grep -E '^[0-9]+$' "$mem" | sort -n | tail -n 1 || true)
	launches=$(grep -cE '^[0-9]+$' "$mem" || true)
	((run > 0)) && printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "${rest%-s*}" "${rest#*-s}" "$run" \
		$(((t1 - t0) / 1000000)) "$calls" "${peak:-}" "$launches" >>"$results"
	printf '  %-18s run %s: %5d ms, %3s token calls, peak %s KiB over %s launches\n' "$c" "$run" \
		$(((t1 - t0) / 1000000)) "$calls" "${peak:-n/a}" "$launches" >&2
}

log "warm-up: one untimed plan per case"
for c in "${cases[@]}"; do plan_once "$c" 0; done

load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
# Runs interleave the cases, and the two tools swap order every run, so that drift
# in the machine's load falls on both sides alike.
start=$SECONDS
for run in $(seq "$RUNS"); do
	log "run $run of $RUNS"
	for n in $NS; do
		for s in $SETS; do
			if ((run % 2)); then order=(provider http); else order=(http provider); fi
			for tool in "${order[@]}"; do plan_once "$tool-n$n-s$s" "$run"; done
		done
	done
done
timed_s=$((SECONDS - start))
load_end=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
log "timed runs took ${timed_s}s"

# --- report ------------------------------------------------------------------------------
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [[ -n $(git status --porcelain -- go.mod go.sum main.go internal 2>/dev/null) ]]; then
	commit="$commit (with uncommitted changes under internal/, main.go or go.mod)"
fi
cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
mem_total=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)
tf_version=$("$TERRAFORM" version -json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["terraform_version"])')
# The command that reproduces this run: `make bench` under make, with any BENCH_* overrides.
overrides=""
for v in BENCH_RUNS BENCH_NS BENCH_SETS BENCH_LATENCY BENCH_OUT; do
	[[ -n ${!v:-} ]] && overrides+="$v=$(printf '%q' "${!v}") "
done
if [[ -n ${MAKELEVEL:-} ]]; then command_line="${overrides}make bench"; else command_line="${overrides}bash scripts/bench.sh"; fi

BENCH_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ) BENCH_NPROC=$(nproc) BENCH_CPU=${cpu:-unknown} \
	BENCH_MEM=${mem_total:-unknown} BENCH_GO=$(go env GOVERSION) BENCH_TF=$tf_version \
	BENCH_HTTP=$http_version BENCH_COMMIT=$commit BENCH_CMD=$command_line BENCH_RUNS=$RUNS \
	BENCH_LATENCY=$LATENCY BENCH_PLAN="terraform ${PLAN[*]}" BENCH_TIMED_S=$timed_s \
	BENCH_LOAD="$load_start at the start of the timed runs, $load_end at their end" \
	python3 scripts/bench/report.py "$results" "$root/$OUT"
log "wrote $OUT"
