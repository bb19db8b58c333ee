# shellcheck shell=bash
# Sourced by scripts/demo.sh, scripts/bench.sh and scripts/test-modules.sh.
#
# start_mockapi BIN DIR [FLAG...]: starts the mock token APIs (cmd/translationauth-mockapi)
# in the background with the given flags, logging to DIR/mockapi.log, waits until it has
# written its env file DIR/mock.env, and stops it when the calling script exits. Sets
# mock_pid and env_file. The caller defines die().
start_mockapi() {
	local bin=$1 dir=$2
	shift 2
	env_file=$dir/mock.env
	rm -f "$env_file"
	"$bin" "$@" -env-file "$env_file" >"$dir/mockapi.log" 2>&1 &
	mock_pid=$!
	trap stop_mockapi EXIT
	local _
	for _ in $(seq 100); do
		[[ -s $env_file ]] && return 0
		kill -0 "$mock_pid" 2>/dev/null || { cat "$dir/mockapi.log" >&2; die "the mock API exited"; }
		sleep 0.1
	done
	die "the mock API did not write $env_file within 10s"
}

stop_mockapi() {
	kill "$mock_pid" 2>/dev/null || true
	wait "$mock_pid" 2>/dev/null || true
}

# serve_mockapi DIR [FLAG...]: builds the mock into DIR, starts it with the demo credentials
# (and the flags given) and
# exports what its env file holds: SMARTLING_*, EASYTRANSLATE_* and SMARTCONNECT_*
# (credentials and base URLs that point the provider at the mock) and MOCKAPI_URL.
# Run from the repository root.
serve_mockapi() {
	go build -o "$1/translationauth-mockapi" ./cmd/translationauth-mockapi
	local dir=$1
	shift
	start_mockapi "$dir/translationauth-mockapi" "$dir" "$@"
	# shellcheck source=/dev/null
	. "$env_file"
}

# write_dev_overrides FILE PROVIDER_BIN_DIR: writes a Terraform CLI configuration that
# runs translationauth/translationauth from PROVIDER_BIN_DIR (an absolute path) without
# `terraform init`, and installs every other provider as usual.
write_dev_overrides() {
	cat >"$1" <<RC
provider_installation {
  dev_overrides {
    "translationauth/translationauth" = "$2"
  }
  direct {}
}
RC
}
