# A SmartConnect access token that never reaches the plan or the state.
ephemeral "translationauth_smartconnect_token" "this" {
  region        = var.region
  client_id     = var.client_id
  client_secret = var.client_secret
  username      = var.username
  password      = var.password
  base_url      = var.base_url
  min_validity  = var.min_validity
}
