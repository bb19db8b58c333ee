# Every output is ephemeral: it comes from an ephemeral resource, so it can go
# only where ephemeral values are accepted (provider blocks, provisioner and
# connection blocks, write-only attributes, other ephemeral resources, and
# ephemeral variables, locals and outputs).

output "authorization_header" {
  description = "The value for an HTTP Authorization header: \"Bearer <access_token>\"."
  value       = local.token.authorization_header
  sensitive   = true
  ephemeral   = true
}

output "access_token" {
  description = "The access token."
  value       = local.token.access_token
  sensitive   = true
  ephemeral   = true
}

output "expires_at" {
  description = "When the access token expires, as an RFC 3339 UTC time."
  value       = local.token.expires_at
  ephemeral   = true
}

output "api_base_url" {
  description = "The Smartling API root the token is for, without a trailing slash."
  value       = local.token.api_base_url
  ephemeral   = true
}

output "account_id" {
  description = "The Smartling account UID passed in, if any."
  value       = local.token.account_id
  ephemeral   = true
}

output "project_id" {
  description = "The Smartling project ID passed in, if any."
  value       = local.token.project_id
  ephemeral   = true
}
