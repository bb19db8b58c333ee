# Every input is optional: a null value falls back to the caller's
# translationauth provider block, then to the environment variable, then to
# the provider's default.

variable "client_id" {
  type        = string
  description = "EasyTranslate API client ID. Null: the provider block's easytranslate.client_id, then EASYTRANSLATE_CLIENT_ID."
  default     = null
}

variable "client_secret" {
  type        = string
  description = "EasyTranslate API client secret. Null: the provider block's easytranslate.client_secret, then EASYTRANSLATE_CLIENT_SECRET."
  default     = null
  sensitive   = true
  ephemeral   = true
}

variable "username" {
  type        = string
  description = "E-mail address of the EasyTranslate account. Null: the provider block's easytranslate.username, then EASYTRANSLATE_USERNAME."
  default     = null
}

variable "password" {
  type        = string
  description = "Password of the EasyTranslate account. Null: the provider block's easytranslate.password, then EASYTRANSLATE_PASSWORD."
  default     = null
  sensitive   = true
  ephemeral   = true
}

variable "environment" {
  type        = string
  description = "EasyTranslate environment, \"production\" or \"sandbox\". Null: the provider block, then EASYTRANSLATE_ENVIRONMENT, then \"production\"."
  default     = null
}

variable "base_url" {
  type        = string
  description = "EasyTranslate API root, overriding environment. Null: the provider block, then EASYTRANSLATE_BASE_URL."
  default     = null
}

variable "min_validity" {
  type        = string
  description = "How long the token must stay valid, as a duration such as \"60s\". EasyTranslate tokens live about a year. Null: \"60s\"."
  default     = null
}
