terraform {
  required_version = ">= 1.10"

  required_providers {
    translationauth = {
      source = "translationauth/translationauth"
    }
  }
}

# Credentials come from the provider block or from the SMARTCONNECT_*
# environment variables.
ephemeral "translationauth_smartconnect_proxy" "eu" {
  region = "EU"
}

# The proxy's address is sensitive (its random path prefix is its only
# credential) and valid only while Terraform runs: pass it to what runs now,
# never to an output or a file. --noproxy '*' keeps curl from sending it to a
# forward proxy that HTTPS_PROXY or HTTP_PROXY may name.
resource "terraform_data" "smartconnect_export" {
  triggers_replace = timestamp()

  provisioner "local-exec" {
    environment = {
      SMARTCONNECT = ephemeral.translationauth_smartconnect_proxy.eu.url
    }
    command = "curl --noproxy '*' -fsS -o projects.json \"$SMARTCONNECT/api/projects\""
  }
}
