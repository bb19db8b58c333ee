package provider

import "github.com/hashicorp/terraform-plugin-framework/datasource"

// NewSmartConnectTokenDataSource returns translationauth_smartconnect_token as a data source.
func NewSmartConnectTokenDataSource() datasource.DataSource {
	return newTokenDataSource(smartConnectToken)
}
