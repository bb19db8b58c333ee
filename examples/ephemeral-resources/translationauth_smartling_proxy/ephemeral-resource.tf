terraform {
  required_version = ">= 1.10"

  required_providers {
    translationauth = {
      source = "translationauth/translationauth"
    }
  }
}

# Opened during plan and again during apply, each time on a new local port and
# path prefix; closed when the last thing configured from it is done.
ephemeral "translationauth_smartling_proxy" "api" {
  # user_identifier and user_secret come from the provider block or from
  # SMARTLING_USER_IDENTIFIER and SMARTLING_USER_SECRET.
  project_id = "a1b2c3d4e"

  # Smartling limits concurrent operations per project and file (429
  # MAX_OPERATIONS_LIMIT_EXCEEDED, 423 RESOURCE_LOCKED beyond them): at most 4
  # requests go to it at once, the others wait in the proxy. 429 and 423 are
  # retried up to max_retries times (default: the provider's).
  max_concurrent_requests = 4
}

# A script that calls the API for as long as it likes: every request through
# the proxy carries a live token, however long the apply runs (Smartling's
# tokens live 8 minutes). The script holds no token at all, only the proxy's
# address, which works on this machine and only until the run ends.
# --noproxy '*' keeps curl from sending that address, prefix included, to a
# forward proxy that HTTPS_PROXY or HTTP_PROXY may name.
resource "terraform_data" "smartling_jobs" {
  triggers_replace = timestamp() # run on every apply

  provisioner "local-exec" {
    environment = {
      SMARTLING = ephemeral.translationauth_smartling_proxy.api.url
      PROJECT   = ephemeral.translationauth_smartling_proxy.api.project_id
    }
    command = <<-EOT
      for job in $(curl --noproxy '*' -fsS "$SMARTLING/jobs-api/v3/projects/$PROJECT/jobs" | jq -r '.response.data.items[].translationJobUid'); do
        curl --noproxy '*' -fsS -o "job-$job.json" "$SMARTLING/jobs-api/v3/projects/$PROJECT/jobs/$job"
      done
    EOT
  }
}
