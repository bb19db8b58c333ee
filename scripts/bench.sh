#!/usr/bin/env bash
# Measures the provider against its alternatives and its limits, each side by
# side in one run, and writes BENCHMARKS.md (scripts/bench/report.py):
#
# 1. Token reuse: translationauth_smartling_token against the hand-rolled
#    alternative (a hashicorp/http data source per token), against the same mock
#    Smartling API. For N token reads in one `terraform plan` (by default N = 1
#    and 100) with one and with several distinct credential sets: token-endpoint calls
#    (mock /_mock/stats, reset before every plan), wall time of the plan, and
#    the provider processes' peak RSS.
# 2. Per-read cost: the same plan of BENCH_READS reads with one credential set
#    through the provider and through a do-nothing provider with the same
#    schemas (provider.NewNoop, served by scripts/bench/noop, both built only
#    with -tags bench), installed the same way: the provider's wall time
#    against the do-nothing one's plus one token call (the mock's latency),
#    and the CPU time of the plugin processes.
# 3. The proxy: the Go benchmarks of internal/auth/proxy (requests through the
#    proxy against the same requests sent directly, at several upstream
#    latencies, and against a bare httputil.ReverseProxy that only sets the
#    header; a streamed 256 MiB upload and the RSS growth meanwhile).
#
# Run from the repository root, normally through `make bench`. Environment (all
# optional; unset ones are found or built the way `make` would):
#   TERRAFORM             terraform binary (default: scripts/ensure-terraform.sh)
#   PROVIDER_BIN_DIR      directory holding terraform-provider-translationauth
#                         (default: built into .bench/bin)
#   HTTP_PROVIDER_MIRROR  filesystem mirror holding hashicorp/http
#                         (default: the one scripts/ensure-http-provider.sh makes)
#   BENCH_RUNS=9  BENCH_NS="1 100"  BENCH_SETS="1 5"  BENCH_LATENCY=150ms
#   BENCH_READS=100         reads of the per-read cost plan; 0 leaves it out
#   BENCH_PROXY_BENCHTIME=1s  -benchtime of each proxy GET benchmark; 0 leaves
#   BENCH_PROXY_COUNT=7       the proxy out; -count of every proxy benchmark
#   BENCH_OUT=BENCHMARKS.md
# The defaults take about 6 minutes on 2 busy cores (load average 10). Smaller values
# shorten the run, e.g. BENCH_RUNS=3 BENCH_SETS=1 BENCH_PROXY_COUNT=1; larger ones
# lengthen it, e.g. BENCH_NS="1 10 100".
# Everything it creates lives in .bench/ (git-ignored).
set -euo pipefail

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }

[[ -f go.mod && -d scripts/bench ]] || die "run me from the repository root"
root=$(pwd)

RUNS=${BENCH_RUNS:-9}
NS=${BENCH_NS:-"1 100"}
SETS=${BENCH_SETS:-"1 5"}
LATENCY=${BENCH_LATENCY:-150ms}
READS=${BENCH_READS:-100}
PROXY_BENCHTIME=${BENCH_PROXY_BENCHTIME:-1s}
PROXY_COUNT=${BENCH_PROXY_COUNT:-7}
OUT=${BENCH_OUT:-BENCHMARKS.md}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer"
[[ $READS =~ ^[0-9]+$ ]] || die "BENCH_READS must be a whole number"
[[ $PROXY_COUNT =~ ^[1-9][0-9]*$ ]] || die "BENCH_PROXY_COUNT must be a positive integer"

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

log "building the mock API, the do-nothing provider and the rusage wrapper"
go build -o "$bench/bin/translationauth-mockapi" ./cmd/translationauth-mockapi
go build -tags bench -o "$bench/bin/terraform-provider-translationauth-noop" ./scripts/bench/noop
go build -o "$bench/bin/rusage" ./scripts/bench/rusage

# --- provider wrappers that record memory and CPU time -----------------------------
# Terraform starts each provider through a wrapper that runs the real binary under
# scripts/bench/rusage, which appends the plugin's peak RSS (KiB) and its user and
# system CPU time (µs), as wait4 reports them, to $BENCH_MEM_FILE: one line per
# launch. Every provider gets the same wrapper, so its cost (a sh and a wrapper process
# per launch, not counted in the figures) is the same on all sides.
wrapper() { # REAL_BINARY
	# shellcheck disable=SC2016 # $BENCH_MEM_FILE and $@ are for the wrapper to expand
	printf '#!/bin/sh\nexec %q -o "${BENCH_MEM_FILE:-/dev/null}" %q "$@"\n' "$bench/bin/rusage" "$1"
}
# Every provider comes from a filesystem mirror of our own whose "binaries" are the
# wrappers, and every case directory is initialised from one: Terraform installs,
# verifies and launches them all the same way (dev_overrides would skip the checksum
# work for one side only). The do-nothing provider has the provider's address and
# version, so it has a mirror and a CLI configuration of its own. terraform init records
# the checksums, so the wrappers are in place first.
mirror_provider() { # MIRROR TYPE VERSION BINARY
	local dir=$bench/$1/registry.terraform.io/$2/$3/$platform
	mkdir -p "$dir"
	wrapper "$4" >"$dir/terraform-provider-${2##*/}_v$3"
	chmod +x "$dir/terraform-provider-${2##*/}_v$3"
}
mirror_provider mirror translationauth/translationauth 0.1.0 "$provider_bin"
mirror_provider mirror hashicorp/http "$http_version" "$http_bin"
mirror_provider mirror-noop translationauth/translationauth 0.1.0 "$bench/bin/terraform-provider-translationauth-noop"

cli_config() { # MIRROR PROVIDER...: a CLI configuration that installs them from MIRROR
	local include
	include=$(printf '"registry.terraform.io/%s", ' "${@:2}")
	cat <<RC
provider_installation {
  filesystem_mirror {
    path    = "$bench/$1"
    include = [${include%, }]
  }
}
RC
}
cli_config mirror hashicorp/http translationauth/translationauth >"$bench/terraformrc"
cli_config mirror-noop translationauth/translationauth >"$bench/terraformrc-noop"
# rc TOOL: the CLI configuration of a tool's cases
rc() { if [[ $1 == noop ]]; then echo "$bench/terraformrc-noop"; else echo "$bench/terraformrc"; fi; }

# --- the mock token API --------------------------------------------------------------
max_sets=1
for s in $SETS; do
	[[ $s =~ ^[1-9][0-9]*$ ]] || die "BENCH_SETS must hold positive integers"
	if ((s > max_sets)); then max_sets=$s; fi
done
for n in $NS; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "BENCH_NS must hold positive integers"; done
# shellcheck source=scripts/lib/mockapi.sh
. "$root/scripts/lib/mockapi.sh"
start_mockapi "$bench/bin/translationauth-mockapi" "$bench" -latency "$LATENCY" -smartling-users "$max_sets"
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
# token-endpoint calls of Smartling since the last reset (authenticate + refresh); with
# jq if there is one, as python3 can take more than a second to start on a busy machine
mock_calls() {
	if command -v jq >/dev/null; then
		curl -fsS "$mock_url/_mock/stats" | jq '.smartling.authenticate + .smartling.refresh'
	else
		curl -fsS "$mock_url/_mock/stats" |
			python3 -c 'import json,sys; s=json.load(sys.stdin)["smartling"]; print(s["authenticate"]+s["refresh"])'
	fi
}

# --- one prepared directory per case ---------------------------------------------------
# A case is a tool (provider, http or noop) and a plan size ("N SETS"); the cases of
# one plan size form a group, whose tools run back to back in every timed run.
cases=()
groups=()
declare -A tools_of
add_case() { # TOOL N SETS
	local tool=$1 n=$2 s=$3 c=$1-n$2-s$3
	[[ -d $bench/work/$c ]] && return
	cases+=("$c")
	[[ -v "tools_of[$n $s]" ]] || groups+=("$n $s")
	tools_of[$n $s]+="${tools_of[$n $s]:+ }$tool"
	mkdir -p "$bench/work/$c"
	# The do-nothing provider reads the provider's configuration.
	cp "scripts/bench/${tool/noop/provider}"/*.tf "$bench/work/$c/"
	printf 'n    = %s\nsets = %s\n' "$n" "$s" >"$bench/work/$c/terraform.tfvars"
	if [[ $tool == http ]]; then
		printf 'smartling_base_url = "%s"\n' "$smartling_url" >>"$bench/work/$c/terraform.tfvars"
	fi
}
for n in $NS; do
	for s in $SETS; do
		# N reads use at most N credential sets: with more, the plan is that of N sets.
		if ((s > n)) && [[ " $SETS " == *" $n "* ]]; then continue; fi
		add_case provider "$n" "$s"
		add_case http "$n" "$s"
	done
done
if ((READS > 0)); then
	add_case provider "$READS" 1
	add_case noop "$READS" 1
fi

# terraform init in the first case directory of each tool; the others get a copy of what
# it made (the lock file, and .terraform/providers, symbolic links into the mirror).
log "terraform init for every tool (not timed)"
declare -A inited
for c in "${cases[@]}"; do
	tool=${c%%-*}
	if [[ -n ${inited[$tool]:-} ]]; then
		cp -a "${inited[$tool]}/.terraform" "${inited[$tool]}/.terraform.lock.hcl" "$bench/work/$c/"
		continue
	fi
	(cd "$bench/work/$c" && TF_CLI_CONFIG_FILE=$(rc "$tool") "$TERRAFORM" init -input=false -no-color >init.log 2>&1) ||
		{ cat "$bench/work/$c/init.log" >&2; die "terraform init failed in $c"; }
	inited[$tool]=$bench/work/$c
done

PLAN=(plan -refresh=true -input=false -no-color)
results=$bench/results.tsv
printf 'tool\tn\tsets\trun\twall_ms\tcalls\tpeak_kib\tlaunches\tcpu_ms\n' >"$results"

# plan_once CASE RUN: one timed plan; appends a row to $results (RUN 0 = warm-up, not kept).
plan_once() {
	local c=$1 run=$2 dir=$bench/work/$1 mem=$bench/work/$1/mem.txt t0 t1 calls peak launches cpu
	local tool=${c%%-*} rest=${c#*-n}
	mock_reset
	: >"$mem"
	t0=$(date +%s%N)
	if ! (cd "$dir" && TF_CLI_CONFIG_FILE=$(rc "$tool") BENCH_MEM_FILE=$mem "$TERRAFORM" "${PLAN[@]}" >plan.log 2>&1); then
		cat "$dir/plan.log" >&2
		die "terraform plan failed in $c"
	fi
	t1=$(date +%s%N)
	calls=$(mock_calls)
	grep -q 'tokens_read *= *'"${rest%-s*}" "$dir/plan.log" || { cat "$dir/plan.log" >&2; die "$c: unexpected plan output"; }
	# the wrapper's lines: peak RSS (KiB), user and system CPU time (µs) of each launch
	read -r peak cpu launches < <(awk '{ if ($1 > p) p = $1; c += $2 + $3; n++ }
		END { printf "%d %.1f %d\n", p, c / 1000, n }' "$mem")
	((launches > 0)) || die "$c: no plugin launch was measured"
	((run > 0)) && printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "${rest%-s*}" "${rest#*-s}" "$run" \
		$(((t1 - t0) / 1000000)) "$calls" "$peak" "$launches" "$cpu" >>"$results"
	printf '  %-18s run %s: %5d ms, %3s token calls, plugin CPU %6s ms, peak %s KiB over %s launches\n' "$c" "$run" \
		$(((t1 - t0) / 1000000)) "$calls" "$cpu" "$peak" "$launches" >&2
}

log "warm-up: one untimed plan per case"
for c in "${cases[@]}"; do plan_once "$c" 0; done

load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
# Runs interleave the cases, and the tools of a group take turns going first, so that
# drift in the machine's load falls on every side alike.
start=$SECONDS
for run in $(seq "$RUNS"); do
	log "run $run of $RUNS"
	for g in "${groups[@]}"; do
		read -ra tools <<<"${tools_of[$g]}"
		k=$((run % ${#tools[@]}))
		for tool in "${tools[@]:k}" "${tools[@]:0:k}"; do plan_once "$tool-n${g% *}-s${g#* }" "$run"; done
	done
done
timed_s=$((SECONDS - start))
load_end=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
log "timed runs took ${timed_s}s"

# --- the proxy's Go benchmarks ------------------------------------------------------------
# The GET benchmarks (direct, and a bare ReverseProxy, against the proxy) at -benchtime $PROXY_BENCHTIME each, then the upload once per count,
# in a process of its own so that no earlier benchmark's memory is in its RSS.
proxy_out=$bench/proxy-bench.txt
: >"$proxy_out"
proxy_s=0 proxy_load=""
PROXY_GET=(go test -run='^$' -bench='^(BenchmarkProxyGET|BenchmarkProxyVsReverseProxy)$' -benchtime="$PROXY_BENCHTIME" -count="$PROXY_COUNT" ./internal/auth/proxy/)
PROXY_UPLOAD=(go test -run='^$' -bench='^BenchmarkProxyUpload256MiB$' -benchtime=1x -count="$PROXY_COUNT" ./internal/auth/proxy/)
if [[ $PROXY_BENCHTIME != 0 ]]; then
	log "proxy benchmarks: ${PROXY_GET[*]}; ${PROXY_UPLOAD[*]}"
	load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
	start=$SECONDS
	"${PROXY_GET[@]}" | tee -a "$proxy_out" >&2
	"${PROXY_UPLOAD[@]}" | tee -a "$proxy_out" >&2
	proxy_s=$((SECONDS - start))
	proxy_load="$load at their start, $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) at their end"
	log "proxy benchmarks took ${proxy_s}s"
fi

# --- report ------------------------------------------------------------------------------
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [[ -n $(git status --porcelain -- go.mod go.sum main.go internal scripts 2>/dev/null) ]]; then
	commit="$commit (with uncommitted changes under internal/, scripts/, main.go or go.mod)"
fi
cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
mem_total=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)
tf_version=$("$TERRAFORM" version -json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["terraform_version"])')
# The command that reproduces this run: `make bench` under make, with any BENCH_* overrides.
overrides=""
for v in BENCH_RUNS BENCH_NS BENCH_SETS BENCH_LATENCY BENCH_READS BENCH_PROXY_BENCHTIME BENCH_PROXY_COUNT BENCH_OUT; do
	[[ -n ${!v:-} ]] && overrides+="$v=$(printf '%q' "${!v}") "
done
if [[ -n ${MAKELEVEL:-} ]]; then command_line="${overrides}make bench"; else command_line="${overrides}bash scripts/bench.sh"; fi

BENCH_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ) BENCH_NPROC=$(nproc) BENCH_CPU=${cpu:-unknown} \
	BENCH_MEM=${mem_total:-unknown} BENCH_GO=$(go env GOVERSION) BENCH_TF=$tf_version \
	BENCH_HTTP=$http_version BENCH_COMMIT=$commit BENCH_CMD=$command_line BENCH_RUNS=$RUNS \
	BENCH_LATENCY=$LATENCY BENCH_PLAN="terraform ${PLAN[*]}" BENCH_TIMED_S=$timed_s \
	BENCH_LOAD="$load_start at the start of the timed runs, $load_end at their end" \
	BENCH_READS=$READS BENCH_PROXY_OUT=$proxy_out BENCH_PROXY_S=$proxy_s BENCH_PROXY_LOAD=$proxy_load \
	BENCH_PROXY_GET="${PROXY_GET[*]}" BENCH_PROXY_UPLOAD="${PROXY_UPLOAD[*]}" \
	python3 scripts/bench/report.py "$results" "$root/$OUT"
log "wrote $OUT"
