terraform {
  required_providers {
    translationauth = {
      source = "translationauth/translationauth"
    }
  }
}

# The token is stored, marked sensitive, in the state. Prefer
# ephemeral "translationauth_smartconnect_token" unless the token must go
# where an ephemeral value is not accepted, or Terraform is older than 1.10.
data "translationauth_smartconnect_token" "eu" {
  # client_id, client_secret, username and password come from the provider
  # block or from the SMARTCONNECT_* environment variables.
  region = "EU"
}

output "smartconnect_api" {
  value = {
    api_base_url = data.translationauth_smartconnect_token.eu.api_base_url
    token_url    = data.translationauth_smartconnect_token.eu.token_url
    swagger_url  = data.translationauth_smartconnect_token.eu.swagger_url
    # null when SmartConnect answered without a lifetime.
    expires_at = data.translationauth_smartconnect_token.eu.expires_at
  }
}
