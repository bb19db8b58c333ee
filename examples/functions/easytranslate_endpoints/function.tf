terraform {
  required_version = ">= 1.8"

  required_providers {
    translationauth = {
      source = "translationauth/translationauth"
    }
  }
}

locals {
  # { environment, token_url, api_base_url }; needs no credentials.
  easytranslate_sandbox = provider::translationauth::easytranslate_endpoints("sandbox")
}

output "easytranslate_sandbox_api_base_url" {
  value = local.easytranslate_sandbox.api_base_url # "https://api.platform.sandbox.easytranslate.com"
}

output "easytranslate_sandbox_token_url" {
  value = local.easytranslate_sandbox.token_url # "https://api.platform.sandbox.easytranslate.com/oauth/token"
}
