# Credentials are not inputs here: the translationauth provider takes them
# from its provider block or from the SMARTLING_*, EASYTRANSLATE_* and
# SMARTCONNECT_* environment variables.

variable "smartling_project_id" {
  type        = string
  description = "Smartling project ID to read. Null: the provider block's smartling.project_id, then SMARTLING_PROJECT_ID."
  default     = null
}

variable "smartling_request_path" {
  type        = string
  description = "Path below the Smartling API root to read with hashicorp/http and with curl. Null: the project's /projects-api/v2/projects/{projectId}."
  default     = null
}

variable "smartconnect_region" {
  type        = string
  description = "SmartConnect region code. Null: the provider block's smartconnect.region, then SMARTCONNECT_REGION, then \"NA\"."
  default     = null
}

variable "smartconnect_request_path" {
  type        = string
  description = "Path below the SmartConnect API root to call with curl during apply, for example one listed in the region's Swagger UI."
}

variable "easytranslate_sync_host" {
  type        = string
  description = "Server to copy an EasyTranslate token to over SSH. Null: nothing is copied."
  default     = null
}

variable "ssh_private_key" {
  type        = string
  description = "SSH private key of the deploy user on easytranslate_sync_host."
  default     = null
  sensitive   = true
  ephemeral   = true
}
