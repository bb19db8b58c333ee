# A small module that uses translationauth, and its tests (tests/*.tftest.hcl), which run
# against the mock token APIs of cmd/translationauth-mockapi. `make test-modules` runs them;
# the "Testing modules that use translationauth" guide explains how to test your own modules
# the same way.
#
# The module runs a command with a fresh Smartling token: it reads the token as an
# ephemeral resource, which never reaches the plan or the state, and hands it to the
# command through the environment. It returns the token's non-secret details, read through
# the data source of the same name.

terraform {
  required_version = ">= 1.10"

  required_providers {
    translationauth = {
      source = "translationauth/translationauth"
    }
  }
}

variable "project_id" {
  description = "The Smartling project the command works on."
  type        = string
}

variable "command" {
  description = "Command to run with AUTHORIZATION (\"Bearer <token>\"), API_BASE_URL and PROJECT_ID in its environment."
  type        = string
}

ephemeral "translationauth_smartling_token" "this" {
  project_id = var.project_id
}

data "translationauth_smartling_token" "this" {
  project_id = var.project_id
}

resource "terraform_data" "run" {
  triggers_replace = [var.project_id, var.command]

  provisioner "local-exec" {
    environment = {
      AUTHORIZATION = ephemeral.translationauth_smartling_token.this.authorization_header
      API_BASE_URL  = ephemeral.translationauth_smartling_token.this.api_base_url
      PROJECT_ID    = ephemeral.translationauth_smartling_token.this.project_id
    }
    command = var.command
  }
}

output "token" {
  description = "The token's non-secret details: its API root, type (always Bearer), expiry (RFC 3339, UTC) and project."
  value = {
    api_base_url = data.translationauth_smartling_token.this.api_base_url
    token_type   = data.translationauth_smartling_token.this.token_type
    expires_at   = data.translationauth_smartling_token.this.expires_at
    project_id   = data.translationauth_smartling_token.this.project_id
  }
}
