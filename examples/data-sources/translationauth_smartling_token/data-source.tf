terraform {
  required_providers {
    translationauth = {
      source = "translationauth/translationauth"
    }
    http = {
      source = "hashicorp/http"
    }
  }
}

# The token is stored, marked sensitive, in the state. Use it where an
# ephemeral value is not accepted, such as the arguments of another data
# source; everywhere else prefer ephemeral "translationauth_smartling_token".
data "translationauth_smartling_token" "this" {
  # user_identifier and user_secret come from the provider block or from
  # SMARTLING_USER_IDENTIFIER and SMARTLING_USER_SECRET.
  project_id = "a1b2c3d4e"
}

# Read the project's details from the Smartling Projects API.
data "http" "project" {
  url = "${data.translationauth_smartling_token.this.api_base_url}/projects-api/v2/projects/${data.translationauth_smartling_token.this.project_id}"

  request_headers = {
    Accept        = "application/json"
    Authorization = data.translationauth_smartling_token.this.authorization_header
  }
}

output "smartling_project" {
  value = jsondecode(data.http.project.response_body).response.data
}

output "smartling_token_expires_at" {
  value = data.translationauth_smartling_token.this.expires_at
}
