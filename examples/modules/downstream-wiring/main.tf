# Three ways to hand a token to something downstream. The ephemeral ones keep
# the token out of the plan and the state; the data source stores it
# (sensitive) in the state, and is needed only where an argument must be
# persisted, like a data source argument.

# ---------------------------------------------------------------------------
# 1. A data source argument: hashicorp/http's request_headers.
#
# Terraform persists data source arguments, so it refuses an ephemeral value
# here ("not a write-only attribute and must be persisted to state"): this
# takes the token of the data source, which is stored in the state.

data "translationauth_smartling_token" "read" {
  project_id = var.smartling_project_id
}

locals {
  # The project's details, unless smartling_request_path names another path.
  smartling_path = var.smartling_request_path != null ? var.smartling_request_path : "/projects-api/v2/projects/${data.translationauth_smartling_token.read.project_id}"
  smartling_url  = "${data.translationauth_smartling_token.read.api_base_url}${local.smartling_path}"
}

data "http" "smartling" {
  url = local.smartling_url

  request_headers = {
    Accept        = "application/json"
    Authorization = data.translationauth_smartling_token.read.authorization_header
  }

  lifecycle {
    postcondition {
      condition     = self.status_code == 200
      error_message = "Smartling answered HTTP ${self.status_code} to GET ${local.smartling_url}."
    }
  }
}

# ---------------------------------------------------------------------------
# 2. A provisioner's environment: an ephemeral token from a module.
#
# The modules' outputs are ephemeral, and so is anything built from them.
# The command reads the header from stdin, so the token is never on a command
# line; Terraform hides the output of a provisioner that uses ephemeral values.

module "smartling_token" {
  source = "../smartling-token"

  project_id = var.smartling_project_id
}

module "smartconnect_token" {
  source = "../smartconnect-token"

  region = var.smartconnect_region
}

locals {
  # The provisioner's calls, by platform. A local that holds ephemeral values
  # is ephemeral itself.
  api_calls = {
    smartling = {
      authorization = module.smartling_token.token.authorization_header
      url           = "${module.smartling_token.token.api_base_url}${local.smartling_path}"
    }
    smartconnect = {
      authorization = module.smartconnect_token.token.authorization_header
      url           = "${module.smartconnect_token.token.api_base_url}${var.smartconnect_request_path}"
    }
  }
}

resource "terraform_data" "api_calls" {
  for_each         = toset(["smartling", "smartconnect"]) # not keys(local.api_calls): ephemeral values cannot key for_each
  triggers_replace = timestamp()                          # run on every apply

  provisioner "local-exec" {
    working_dir = path.module
    environment = {
      AUTHORIZATION = local.api_calls[each.key].authorization
      URL           = local.api_calls[each.key].url
      OUT           = "${each.key}-response.json"
    }
    command = local.curl
  }
}

locals {
  curl = <<-EOT
    printf 'Authorization: %s\n' "$AUTHORIZATION" | curl -fsS -H @- -o "$OUT" "$URL"
  EOT
}

# ---------------------------------------------------------------------------
# 3. A connection and a file provisioner: copy an ephemeral token to a server.
#
# Both the token and the SSH key are ephemeral: Terraform stores neither.

module "easytranslate_token" {
  source = "../easytranslate-token"
  count  = var.easytranslate_sync_host == null ? 0 : 1 # no token unless it is needed
}

resource "terraform_data" "easytranslate_sync_token" {
  count = var.easytranslate_sync_host == null ? 0 : 1

  triggers_replace = [var.easytranslate_sync_host]

  connection {
    type        = "ssh"
    host        = var.easytranslate_sync_host
    user        = "deploy"
    private_key = var.ssh_private_key
  }

  provisioner "file" {
    content     = module.easytranslate_token[0].token.access_token
    destination = "/etc/translation-sync/easytranslate-token"
  }
}
