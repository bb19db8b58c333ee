package provider

import "github.com/hashicorp/terraform-plugin-framework/datasource"

// NewEasyTranslateTokenDataSource returns translationauth_easytranslate_token as a data source.
func NewEasyTranslateTokenDataSource() datasource.DataSource {
	return newTokenDataSource(easyTranslateToken)
}
