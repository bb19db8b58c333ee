terraform {
  # Ephemeral resources, ephemeral variables and ephemeral outputs.
  required_version = ">= 1.10"

  required_providers {
    translationauth = {
      source = "translationauth/translationauth"
    }
  }
}
