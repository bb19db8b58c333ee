terraform {
  required_version = ">= 1.8"

  required_providers {
    translationauth = {
      source = "translationauth/translationauth"
    }
  }
}

locals {
  # { region, token_url, api_base_url, swagger_url }; needs no credentials.
  smartconnect_eu = provider::translationauth::smartconnect_endpoints("EU")
}

output "smartconnect_eu_token_url" {
  value = local.smartconnect_eu.token_url # "https://apieuw.smartconnect.com/token"
}

output "smartconnect_eu_swagger_url" {
  value = local.smartconnect_eu.swagger_url # "https://apieuw.smartconnect.com/swagger"
}

# An unknown region code is an error that lists the valid ones, so a variable
# can be checked with it.
variable "smartconnect_region" {
  type    = string
  default = "NA"

  validation {
    condition     = can(provider::translationauth::smartconnect_endpoints(var.smartconnect_region))
    error_message = "smartconnect_region must be one of NA, NA2, NA3, UK, EU, EU2, AU."
  }
}
