//go:build tools

// Package tools pins the Go programs the project runs while it builds, so that their
// versions are recorded in this module's go.mod and go.sum instead of the provider's.
package tools

import (
	// tfplugindocs generates docs/ from the provider schema, examples/ and templates/.
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)
