package provider

import "github.com/hashicorp/terraform-plugin-framework/datasource"

// NewSmartlingTokenDataSource returns translationauth_smartling_token as a data source.
func NewSmartlingTokenDataSource() datasource.DataSource { return newTokenDataSource(smartlingToken) }
