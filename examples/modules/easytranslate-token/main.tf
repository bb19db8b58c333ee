# An EasyTranslate access token that never reaches the plan or the state.
ephemeral "translationauth_easytranslate_token" "this" {
  client_id     = var.client_id
  client_secret = var.client_secret
  username      = var.username
  password      = var.password
  environment   = var.environment
  base_url      = var.base_url
  min_validity  = var.min_validity
}
