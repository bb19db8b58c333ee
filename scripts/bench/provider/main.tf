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

variable "smartling_base_url" {
  type = string
}

provider "translationauth" {
  smartling = {
    base_url = var.smartling_base_url
  }
}

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
