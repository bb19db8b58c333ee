# A Smartling access token that never reaches the plan or the state.
ephemeral "translationauth_smartling_token" "this" {
  user_identifier = var.user_identifier
  user_secret     = var.user_secret
  account_id      = var.account_id
  project_id      = var.project_id
  base_url        = var.base_url
  min_validity    = var.min_validity
}
