terraform {
  required_providers {
    translationauth = {
      source = "translationauth/translationauth"
    }
  }
}

# The token is stored, marked sensitive, in the state. Prefer
# ephemeral "translationauth_easytranslate_token" unless the token must go
# where an ephemeral value is not accepted, or Terraform is older than 1.10.
data "translationauth_easytranslate_token" "sandbox" {
  # client_id, client_secret, username and password come from the provider
  # block or from the EASYTRANSLATE_* environment variables.
  environment = "sandbox"
}

output "easytranslate_api" {
  value = {
    api_base_url = data.translationauth_easytranslate_token.sandbox.api_base_url
    environment  = data.translationauth_easytranslate_token.sandbox.environment
    expires_at   = data.translationauth_easytranslate_token.sandbox.expires_at
  }
}

# The token itself is sensitive: Terraform shows it only when asked, with
# `terraform output -raw easytranslate_authorization_header`.
output "easytranslate_authorization_header" {
  value     = data.translationauth_easytranslate_token.sandbox.authorization_header
  sensitive = true
}
