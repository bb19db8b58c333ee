terraform {
  required_providers {
    translationauth = {
      source = "translationauth/translationauth"
    }
  }
}

# Needs no credentials and makes no request.
data "translationauth_smartconnect_regions" "all" {}

output "smartconnect_token_urls" {
  value = {
    for code, region in data.translationauth_smartconnect_regions.all.regions : code => region.token_url
  }
}

output "smartconnect_eu_swagger_url" {
  value = data.translationauth_smartconnect_regions.all.regions["EU"].swagger_url
}
