package tools

// `go generate ./...` in this directory (make generate) runs these in order. Both use the
// terraform on PATH; the Makefile puts the project's ensured Terraform first.

// Format the example configurations that the documentation embeds.
//go:generate terraform fmt -recursive ../examples/

// Generate docs/ from the provider schema, examples/ and templates/.
//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-dir .. --provider-name translationauth
