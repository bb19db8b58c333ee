//go:build bench

// Command noop serves the provider's do-nothing twin (provider.NewNoop) under
// the provider's own address, for scripts/bench.sh: the same plan through it
// is the limit against which the bench measures the per-read cost of the
// provider. It is never released, and builds only with -tags bench, as
// scripts/bench.sh builds it.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/translationauth/terraform-provider-translationauth/internal/provider"
)

func main() {
	err := providerserver.Serve(context.Background(), provider.NewNoop("noop"), providerserver.ServeOpts{
		Address:         "registry.terraform.io/translationauth/translationauth",
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
