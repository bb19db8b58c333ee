# The hand-rolled alternative: N Smartling token reads as hashicorp/http data
# sources that POST to /auth-api/v2/authenticate, cycling over `sets` credential
# sets. scripts/bench.sh copies this into .bench/work/<case>/ with a
# terraform.tfvars that sets the variables.
terraform {
  required_providers {
    http = {
      source = "hashicorp/http"
    }
  }
}

variable "n" {
  type = number
}

variable "sets" {
  type = number
}

variable "smartling_base_url" {
  type = string
}

data "http" "tok" {
  count  = var.n
  url    = "${var.smartling_base_url}/auth-api/v2/authenticate"
  method = "POST"
  request_headers = {
    Content-Type = "application/json"
  }
  request_body = jsonencode({
    userIdentifier = "bench-user-${count.index % var.sets + 1}"
    userSecret     = "bench-secret-${count.index % var.sets + 1}"
  })

  lifecycle {
    postcondition {
      condition     = self.status_code == 200
      error_message = "Smartling authenticate answered ${self.status_code}."
    }
  }
}

locals {
  tokens = [for r in data.http.tok : jsondecode(r.response_body).response.data.accessToken]
}

output "tokens_read" {
  value = length(local.tokens)
}
