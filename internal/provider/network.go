package provider

// The provider block's network settings: extra trusted CA certificates, and
// the one transport that token requests and the proxies' upstream requests
// share (see auth.NewTransport).

import (
	"context"
	"fmt"
	"net/http"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/translationauth/terraform-provider-translationauth/internal/auth"
	"github.com/translationauth/terraform-provider-translationauth/internal/validators"
)

// envCACertFile is ca_cert_file's environment variable.
const envCACertFile = "TRANSLATIONAUTH_CA_CERT_FILE"

// networkAttributes are the provider block's CA settings.
func networkAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		attrCACertFile: schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "Path of a PEM file of one or more CA certificates to trust, in addition to the " +
				"system's roots, for every request to a platform: token requests and the proxies' upstream requests " +
				"(a TLS-inspecting corporate proxy, a private gateway). Environment variable `" + envCACertFile + "`. " +
				"A missing or unreadable file, or one without a certificate, is an error at plan time. With " +
				"`ca_cert_pem` also set, the certificates of both are trusted. Nothing turns certificate checks off.",
			Validators: stringValidators(caCertFileValidator),
		},
		attrCACertPEM: schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "PEM text of one or more CA certificates to trust, in addition to the system's " +
				"roots, for every request to a platform, as `ca_cert_file` but inline (for example " +
				"`file(\"${path.module}/corp-ca.pem\")`, or a variable on a remote runner). Text without a " +
				"certificate is an error at plan time. Must be known at plan time.",
			Validators: stringValidators(caCertPEMValidator),
		},
	}
}

// caCertFileValidator checks at plan time that ca_cert_file names a readable
// PEM file with at least one certificate.
var caCertFileValidator = validators.String("a readable PEM file of one or more CA certificates",
	caFileSummary, func(v string) error { _, err := auth.ReadCACertFile(v); return err },
	func(_ path.Path, err error) string { return caFileDetail("the attribute "+attrCACertFile, err) })

// caCertPEMValidator checks at plan time that ca_cert_pem holds a certificate.
var caCertPEMValidator = validators.String("PEM text of one or more CA certificates", "Invalid CA Certificates",
	func(v string) error { _, err := auth.ParseCACerts([]byte(v)); return err },
	func(_ path.Path, err error) string {
		return fmt.Sprintf("%s %s. It must hold the PEM text of one or more CA certificates, each between "+
			"-----BEGIN CERTIFICATE----- and -----END CERTIFICATE-----.", attrCACertPEM, err)
	})

// caFileSummary and caFileDetail describe a CA file that cannot be used;
// from names where the path came from.
const caFileSummary = "Invalid CA Certificate File"

func caFileDetail(from string, err error) string {
	return fmt.Sprintf("%s (set by %s): %s. %s (environment variable %s) must name a readable PEM file of one or "+
		"more CA certificates.", attrCACertFile, from, err, attrCACertFile, envCACertFile)
}

// networkTransport builds the transport of every request to a platform from
// the provider block's CA settings (ca_cert_file falling back to
// TRANSLATIONAUTH_CA_CERT_FILE) and the proxy variables of the environment.
func networkTransport(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) *http.Transport {
	var file, text types.String
	diags.Append(cfg.GetAttribute(ctx, path.Root(attrCACertFile), &file)...)
	diags.Append(cfg.GetAttribute(ctx, path.Root(attrCACertPEM), &text)...)
	if diags.HasError() {
		return nil
	}
	for _, a := range []struct {
		name string
		v    types.String
	}{{attrCACertFile, file}, {attrCACertPEM, text}} {
		if a.v.IsUnknown() {
			diags.AddAttributeError(path.Root(a.name), "Unknown CA Certificates",
				a.name+" is known only during apply, but token requests during plan need it already. Set it from "+
					"a value known at plan time: a literal, a variable, or file() of a file in the configuration.")
		}
	}
	if diags.HasError() {
		return nil
	}
	var cas [][]byte
	name, from := file.ValueString(), "the attribute "+attrCACertFile
	if file.IsNull() {
		name, from = os.Getenv(envCACertFile), "the environment variable "+envCACertFile
	}
	if name != "" {
		pem, err := auth.ReadCACertFile(name)
		if err != nil {
			diags.AddAttributeError(path.Root(attrCACertFile), caFileSummary, caFileDetail(from, err))
			return nil
		}
		cas = append(cas, pem)
	}
	if !text.IsNull() {
		cas = append(cas, []byte(text.ValueString()))
	}
	tr, err := auth.NewTransport(auth.TransportOptions{CACerts: cas})
	if err != nil {
		diags.AddError("Invalid Network Settings", err.Error()+".")
		return nil
	}
	return tr
}
