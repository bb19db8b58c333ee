terraform {
  required_version = ">= 1.10"

  required_providers {
    translationauth = {
      source = "translationauth/translationauth"
    }
  }
}

# The token never reaches the plan or the state.
ephemeral "translationauth_smartconnect_token" "this" {
  # client_id, client_secret, username and password come from the provider
  # block or from the SMARTCONNECT_* environment variables.
  region = "UK"
}

# A local value that refers to an ephemeral value is ephemeral too: it can
# go wherever ephemeral values are accepted, like a provisioner's environment.
locals {
  smartconnect_env = {
    SMARTCONNECT_API_URL    = ephemeral.translationauth_smartconnect_token.this.api_base_url
    SMARTCONNECT_AUTH       = ephemeral.translationauth_smartconnect_token.this.authorization_header
    SMARTCONNECT_EXPIRES_AT = coalesce(ephemeral.translationauth_smartconnect_token.this.expires_at, "never")
  }
}

# Run a script of your own against the SmartConnect API during apply: it finds
# the Authorization header in $SMARTCONNECT_AUTH and the API root in
# $SMARTCONNECT_API_URL.
resource "terraform_data" "smartconnect_sync" {
  triggers_replace = timestamp() # run on every apply

  provisioner "local-exec" {
    environment = local.smartconnect_env
    command     = "./scripts/smartconnect-sync.sh"
  }
}
