terraform {
  required_version = ">= 1.10"

  required_providers {
    translationauth = {
      source = "translationauth/translationauth"
    }
  }
}

# Every attribute is optional. Anything left out here falls back to its
# environment variable (SMARTLING_*, EASYTRANSLATE_*, SMARTCONNECT_*), then to
# its default. Secrets never belong in a .tf file: pass them in through
# variables, as below, or leave them to the environment.
provider "translationauth" {
  smartling = {
    user_identifier = var.smartling_user_identifier
    user_secret     = var.smartling_user_secret
    project_id      = "a1b2c3d4e" # passed through to the results, not sent to authentication
  }

  easytranslate = {
    client_id     = var.easytranslate_client_id
    client_secret = var.easytranslate_client_secret
    username      = var.easytranslate_username
    password      = var.easytranslate_password
    environment   = "sandbox"
  }

  # Client ID, secret, username and password from SMARTCONNECT_CLIENT_ID,
  # SMARTCONNECT_CLIENT_SECRET, SMARTCONNECT_USERNAME and SMARTCONNECT_PASSWORD.
  smartconnect = {
    region = "EU"
  }

  request_timeout = "20s" # per HTTP attempt
  max_retries     = 3     # after connection errors and HTTP 429, 500, 502, 503, 504
}

variable "smartling_user_identifier" {
  type    = string
  default = null # null: SMARTLING_USER_IDENTIFIER
}

variable "smartling_user_secret" {
  type      = string
  default   = null # null: SMARTLING_USER_SECRET
  sensitive = true
  ephemeral = true # never written to a plan file
}

variable "easytranslate_client_id" {
  type    = string
  default = null # null: EASYTRANSLATE_CLIENT_ID
}

variable "easytranslate_client_secret" {
  type      = string
  default   = null # null: EASYTRANSLATE_CLIENT_SECRET
  sensitive = true
  ephemeral = true
}

variable "easytranslate_username" {
  type    = string
  default = null # null: EASYTRANSLATE_USERNAME
}

variable "easytranslate_password" {
  type      = string
  default   = null # null: EASYTRANSLATE_PASSWORD
  sensitive = true
  ephemeral = true
}
