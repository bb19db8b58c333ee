# The whole ephemeral resource: every attribute of its type reaches the caller
# under the name and meaning that the translationauth_smartling_token documentation
# gives, and an attribute the provider adds needs no change here.
#
# It is ephemeral (it comes from an ephemeral resource), so it can go only where
# ephemeral values are accepted: provider blocks, provisioner and connection
# blocks, write-only attributes, other ephemeral resources, and ephemeral
# variables, locals and outputs. Sensitive, because it holds the token.
output "token" {
  description = "The translationauth_smartling_token ephemeral resource, with all its attributes: authorization_header, access_token, expires_at, api_base_url and the others its documentation lists."
  value       = ephemeral.translationauth_smartling_token.this
  sensitive   = true
  ephemeral   = true
}
