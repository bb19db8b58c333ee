# Root module outputs cannot be ephemeral; these hold no token.

output "smartling_status_code" {
  description = "HTTP status of the hashicorp/http request made with the data source's token."
  value       = data.http.smartling.status_code
}

output "smartling_token_expires_at" {
  description = "When the data source's Smartling token expires."
  value       = data.translationauth_smartling_token.read.expires_at
}

output "response_files" {
  description = "Where the provisioners saved the API answers, relative to this module."
  value       = [for name, _ in terraform_data.api_calls : "${name}-response.json"]
}
