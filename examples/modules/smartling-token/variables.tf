# Every input is optional: a null value falls back to the caller's
# translationauth provider block, then to the environment variable, then to
# the provider's default.

variable "user_identifier" {
  type        = string
  description = "User identifier of a Smartling API token. Null: the provider block's smartling.user_identifier, then SMARTLING_USER_IDENTIFIER."
  default     = null
}

variable "user_secret" {
  type        = string
  description = "User secret of the Smartling API token. Null: the provider block's smartling.user_secret, then SMARTLING_USER_SECRET."
  default     = null
  sensitive   = true
  ephemeral   = true
}

variable "account_id" {
  type        = string
  description = "Smartling account UID, passed through to the account_id output. Null: the provider block, then SMARTLING_ACCOUNT_ID."
  default     = null
}

variable "project_id" {
  type        = string
  description = "Smartling project ID, passed through to the project_id output. Null: the provider block, then SMARTLING_PROJECT_ID."
  default     = null
}

variable "base_url" {
  type        = string
  description = "Smartling API root. Null: the provider block, then SMARTLING_BASE_URL, then https://api.smartling.com."
  default     = null
}

variable "min_validity" {
  type        = string
  description = "How long the token must stay valid, as a duration such as \"60s\". Smartling access tokens live 8 minutes. Null: \"60s\"."
  default     = null
}
