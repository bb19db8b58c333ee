# N Smartling token reads through translationauth_smartling_token, cycling over
# `sets` credential sets. scripts/bench.sh copies this into .bench/work/<case>/
# with a terraform.tfvars that sets the variables.
terraform {
  required_providers {
    translationauth = {
      source = "translationauth/translationauth"
    }
  }
}

variable "n" {
  type = number
}

variable "sets" {
  type = number
}

# The API root comes from SMARTLING_BASE_URL, which scripts/bench.sh exports: no
# provider block, as the http side has none.

data "translationauth_smartling_token" "tok" {
  count           = var.n
  user_identifier = "bench-user-${count.index % var.sets + 1}"
  user_secret     = "bench-secret-${count.index % var.sets + 1}"
}

locals {
  tokens = data.translationauth_smartling_token.tok[*].access_token
}

output "tokens_read" {
  value = length(local.tokens)
}
