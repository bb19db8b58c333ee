# Every input is optional: a null value falls back to the caller's
# translationauth provider block, then to the environment variable, then to
# the provider's default.

variable "region" {
  type        = string
  description = "SmartConnect region code: NA, NA2, NA3, UK, EU, EU2 or AU. Null: the provider block's smartconnect.region, then SMARTCONNECT_REGION, then \"NA\"."
  default     = null
}

variable "client_id" {
  type        = string
  description = "Client ID of a SmartConnect REST application registration. Null: the provider block's smartconnect.client_id, then SMARTCONNECT_CLIENT_ID."
  default     = null
}

variable "client_secret" {
  type        = string
  description = "Client secret of the REST application registration. Null: the provider block's smartconnect.client_secret, then SMARTCONNECT_CLIENT_SECRET."
  default     = null
  sensitive   = true
  ephemeral   = true
}

variable "username" {
  type        = string
  description = "E-mail address of the SmartConnect user. Null: the provider block's smartconnect.username, then SMARTCONNECT_USERNAME."
  default     = null
}

variable "password" {
  type        = string
  description = "Password of the SmartConnect user. Null: the provider block's smartconnect.password, then SMARTCONNECT_PASSWORD."
  default     = null
  sensitive   = true
  ephemeral   = true
}

variable "base_url" {
  type        = string
  description = "SmartConnect API root, overriding region. Null: the provider block, then SMARTCONNECT_BASE_URL."
  default     = null
}

variable "min_validity" {
  type        = string
  description = "How long the token must stay valid, as a duration such as \"60s\". Null: \"60s\"."
  default     = null
}
