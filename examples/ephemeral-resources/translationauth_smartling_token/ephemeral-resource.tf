terraform {
  required_version = ">= 1.10"

  required_providers {
    translationauth = {
      source = "translationauth/translationauth"
    }
  }
}

# Opened during plan and again during apply, closed at the end of each; the
# token never reaches the plan or the state.
ephemeral "translationauth_smartling_token" "this" {
  # user_identifier and user_secret come from the provider block or from
  # SMARTLING_USER_IDENTIFIER and SMARTLING_USER_SECRET.
  project_id = "a1b2c3d4e"

  # Smartling access tokens live 8 minutes. During apply, when the command
  # below uses the token, ask for one with at least 5 minutes left; during
  # plan, the default of a minute is enough.
  min_validity = terraform.applying ? "5m" : "60s"
}

# A provisioner's environment accepts ephemeral values: the token reaches the
# command without being stored anywhere, and Terraform hides the command's
# output. curl reads the header from stdin, so the token is never part of a
# command line either.
resource "terraform_data" "smartling_project_report" {
  triggers_replace = timestamp() # run on every apply

  provisioner "local-exec" {
    environment = {
      AUTHORIZATION = ephemeral.translationauth_smartling_token.this.authorization_header
      PROJECT_URL   = "${ephemeral.translationauth_smartling_token.this.api_base_url}/projects-api/v2/projects/${ephemeral.translationauth_smartling_token.this.project_id}"
    }
    command = <<-EOT
      printf 'Authorization: %s\n' "$AUTHORIZATION" |
        curl -fsS -H @- -o smartling-project.json "$PROJECT_URL"
    EOT
  }
}
