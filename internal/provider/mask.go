package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// maskSecrets registers every sensitive input value for masking in all log
// output of ctx, as a second line of defence: no log line holds them anyway.
func maskSecrets(ctx context.Context, inputs []input, s settings) context.Context {
	var secrets []string
	for _, in := range inputs {
		if v := s[in.name].value; in.sensitive && v != "" {
			secrets = append(secrets, v)
		}
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
	return tflog.MaskMessageStrings(ctx, secrets...)
}
