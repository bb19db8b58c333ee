# Runs against the mock token APIs: start cmd/translationauth-mockapi and source the
# environment file it writes (SMARTLING_BASE_URL and the demo credentials) first.
# `make test-modules` does both.

variables {
  project_id = "demo-project"
  # The mock's protected /whoami endpoint answers 401 unless the token is one it issued;
  # curl -f turns that into a failed provisioner, and so into a failed apply.
  command = "printf 'Authorization: %s\\n' \"$AUTHORIZATION\" | curl -fsS -o /dev/null -H @- \"$API_BASE_URL/whoami\""
}

run "plan_reads_the_data_source" {
  command = plan

  assert {
    condition     = output.token.token_type == "Bearer"
    error_message = "token_type is ${output.token.token_type}, want Bearer"
  }

  assert {
    condition     = output.token.project_id == "demo-project"
    error_message = "project_id is ${output.token.project_id}, want demo-project"
  }
}

run "apply_hands_a_live_token_to_the_command" {
  command = apply

  assert {
    condition     = startswith(output.token.api_base_url, "http://127.0.0.1:")
    error_message = "api_base_url ${output.token.api_base_url} is not the mock's"
  }

  assert {
    condition     = timecmp(output.token.expires_at, plantimestamp()) > 0
    error_message = "the token expired at ${output.token.expires_at}"
  }
}
