terraform {
  required_version = ">= 1.10"

  required_providers {
    translationauth = {
      source = "translationauth/translationauth"
    }
    restapi = {
      source = "Mastercard/restapi"
    }
  }
}

# Client and user credentials come from the provider block or from the
# EASYTRANSLATE_* environment variables.
ephemeral "translationauth_easytranslate_proxy" "api" {
  environment = "sandbox"
}

# A REST provider configured with the proxy's address never holds a token:
# the proxy adds a live one to every request it forwards.
provider "restapi" {
  uri                  = ephemeral.translationauth_easytranslate_proxy.api.url
  write_returns_object = true
}
