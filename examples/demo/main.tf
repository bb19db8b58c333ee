# Demo: one token of each platform, as a data source and as an ephemeral
# resource, against the mock token APIs (scripts/demo.sh, `make demo`).
#
# The provider block is empty: credentials and base URLs come from the
# environment (SMARTLING_*, EASYTRANSLATE_*, SMARTCONNECT_*), as the demo script
# exports them from the mock.

terraform {
  required_version = ">= 1.10"

  required_providers {
    translationauth = {
      source = "translationauth/translationauth"
    }
  }
}

provider "translationauth" {}

# ---------------------------------------------------------------------------
# Data sources: for Terraform < 1.10 and for arguments that cannot take
# ephemeral values. Their tokens are stored (sensitive) in the state.

data "translationauth_smartling_token" "demo" {
  min_validity = "2s" # the demo's mock issues 6-second Smartling tokens (real ones live 480 s)
}

data "translationauth_easytranslate_token" "demo" {}

data "translationauth_smartconnect_token" "demo" {}

output "smartling" {
  description = "Non-secret results of the Smartling data source."
  value = {
    token_type         = data.translationauth_smartling_token.demo.token_type
    expires_in         = data.translationauth_smartling_token.demo.expires_in
    expires_at         = data.translationauth_smartling_token.demo.expires_at
    refresh_expires_in = data.translationauth_smartling_token.demo.refresh_expires_in
    refresh_expires_at = data.translationauth_smartling_token.demo.refresh_expires_at
    api_base_url       = data.translationauth_smartling_token.demo.api_base_url
    account_id         = data.translationauth_smartling_token.demo.account_id
    project_id         = data.translationauth_smartling_token.demo.project_id
  }
}

output "easytranslate" {
  description = "Non-secret results of the EasyTranslate data source."
  value = {
    token_type   = data.translationauth_easytranslate_token.demo.token_type
    expires_in   = data.translationauth_easytranslate_token.demo.expires_in
    expires_at   = data.translationauth_easytranslate_token.demo.expires_at
    api_base_url = data.translationauth_easytranslate_token.demo.api_base_url
    environment  = data.translationauth_easytranslate_token.demo.environment
  }
}

output "smartconnect" {
  description = "Non-secret results of the SmartConnect data source."
  value = {
    token_type   = data.translationauth_smartconnect_token.demo.token_type
    expires_in   = data.translationauth_smartconnect_token.demo.expires_in
    expires_at   = data.translationauth_smartconnect_token.demo.expires_at
    api_base_url = data.translationauth_smartconnect_token.demo.api_base_url
    region       = data.translationauth_smartconnect_token.demo.region
    token_url    = data.translationauth_smartconnect_token.demo.token_url
    swagger_url  = data.translationauth_smartconnect_token.demo.swagger_url
  }
}

# ---------------------------------------------------------------------------
# Ephemeral resources (recommended, Terraform >= 1.10): the tokens never reach
# the plan or the state. Ephemeral values cannot be outputs of a root module,
# so each token is handed to a consumer instead: a local-exec provisioner that
# calls the platform's protected /whoami endpoint with it and writes what it
# saw to ephemeral-<platform>.txt (the demo script prints those files).
# Terraform hides provisioner output whose configuration holds ephemeral
# values, hence the files. The token travels through the environment and
# curl's stdin, never through a command line.

ephemeral "translationauth_smartling_token" "demo" {
  min_validity = "2s"
}

ephemeral "translationauth_easytranslate_token" "demo" {}

ephemeral "translationauth_smartconnect_token" "demo" {}

locals {
  # One map of the three ephemeral tokens; a local that holds ephemeral values is
  # ephemeral itself, and can be read in provisioners.
  ephemeral_tokens = {
    smartling     = ephemeral.translationauth_smartling_token.demo
    easytranslate = ephemeral.translationauth_easytranslate_token.demo
    smartconnect  = ephemeral.translationauth_smartconnect_token.demo
  }
}

resource "terraform_data" "consumer" {
  for_each         = toset(["smartling", "easytranslate", "smartconnect"])
  triggers_replace = timestamp() # run on every apply

  provisioner "local-exec" {
    working_dir = path.module
    environment = {
      PLATFORM      = each.key
      AUTHORIZATION = local.ephemeral_tokens[each.key].authorization_header
      API_BASE_URL  = local.ephemeral_tokens[each.key].api_base_url
      TOKEN_TYPE    = local.ephemeral_tokens[each.key].token_type
      EXPIRES_AT    = coalesce(local.ephemeral_tokens[each.key].expires_at, "never")
    }
    command = local.consumer_command
  }
}

locals {
  # Heredocs keep backslashes as they are: printf sees the \n.
  consumer_command = <<-EOT
    {
      echo "$PLATFORM ephemeral token: type=$TOKEN_TYPE expires_at=$EXPIRES_AT"
      printf 'Authorization: %s\n' "$AUTHORIZATION" | curl -fsS -H @- "$API_BASE_URL/whoami"
      echo
    } > "ephemeral-$PLATFORM.txt"
  EOT
}

# ---------------------------------------------------------------------------
# A proxy (Terraform >= 1.10): an authenticated endpoint on 127.0.0.1 inside
# the provider process. Whatever is configured with its url never holds a
# token: every request through it gets a live one. The demo's mock issues
# Smartling tokens that live 6 seconds; the consumer below calls /whoami
# through the proxy, waits until the token of that call has expired, and calls
# again: the second call succeeds with a new token. curl --noproxy '*' keeps
# the proxy's address off any forward proxy in HTTPS_PROXY or HTTP_PROXY.

ephemeral "translationauth_smartling_proxy" "demo" {
  # The token sent upstream must have at least 2 seconds left (the default of
  # 60 seconds is longer than the demo's 6-second tokens live).
  min_validity = "2s"
}

resource "terraform_data" "proxy_consumer" {
  triggers_replace = timestamp() # run on every apply

  provisioner "local-exec" {
    working_dir = path.module
    environment = {
      SMARTLING = ephemeral.translationauth_smartling_proxy.demo.url
    }
    command = <<-EOT
      {
        echo "first call  at $(date -u +%H:%M:%S): $(curl --noproxy '*' -fsS "$SMARTLING/whoami")"
        sleep 8
        echo "second call at $(date -u +%H:%M:%S): $(curl --noproxy '*' -fsS "$SMARTLING/whoami")"
      } > proxy-smartling.txt
    EOT
  }
}
