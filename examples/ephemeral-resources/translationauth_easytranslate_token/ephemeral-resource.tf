terraform {
  required_version = ">= 1.10"

  required_providers {
    translationauth = {
      source = "translationauth/translationauth"
    }
  }
}

# The token never reaches the plan or the state.
ephemeral "translationauth_easytranslate_token" "this" {
  # client_id, client_secret, username and password come from the provider
  # block or from the EASYTRANSLATE_* environment variables.
  environment = "production"
}

# Hand the token to a server that calls EasyTranslate on its own: provisioner
# and connection blocks accept ephemeral values, so neither the token nor the
# SSH key below is stored by Terraform.
resource "terraform_data" "translation_sync_token" {
  # Deliver a token again when the server changes.
  triggers_replace = [var.sync_host]

  connection {
    type        = "ssh"
    host        = var.sync_host
    user        = "deploy"
    private_key = var.ssh_private_key
  }

  provisioner "file" {
    content     = ephemeral.translationauth_easytranslate_token.this.access_token
    destination = "/etc/translation-sync/easytranslate-token"
  }
}

variable "sync_host" {
  type        = string
  description = "Address of the server that runs the translation sync job."
}

variable "ssh_private_key" {
  type        = string
  description = "SSH private key of the deploy user on sync_host."
  sensitive   = true
  ephemeral   = true
}
