package auth

import (
	"os"
	"strings"
)

// AppendUserAgentEnv is the environment variable whose value, trimmed, ends
// the User-Agent, as in HashiCorp's providers.
const AppendUserAgentEnv = "TF_APPEND_USER_AGENT"

// UserAgent is the User-Agent of every request to a platform:
// <product>/<version> Terraform/<terraformVersion>, then the trimmed value
// of TF_APPEND_USER_AGENT if it is set. The Terraform product is left out
// when the CLI did not give its version.
func UserAgent(product, version, terraformVersion string) string {
	ua := product + "/" + version
	if terraformVersion != "" {
		ua += " Terraform/" + terraformVersion
	}
	if extra := strings.TrimSpace(os.Getenv(AppendUserAgentEnv)); extra != "" {
		ua += " " + extra
	}
	return ua
}
