// Command translationauth-mockapi serves mock Smartling, EasyTranslate and
// SmartConnect token APIs that accept the demo credentials, for the project's
// demo and benchmarks and for testing Terraform modules that use the
// translationauth provider without an account or a network.
//
// It prints shell "export" lines that point the provider at the mock (and
// writes them to -env-file first, if given), then serves until SIGINT or
// SIGTERM. From a clone of the repository, or from anywhere:
//
//	go run ./cmd/translationauth-mockapi -env-file .demo/mock.env
//	go run github.com/translationauth/terraform-provider-translationauth/cmd/translationauth-mockapi@latest -env-file mock.env
//	. ./mock.env
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/translationauth/terraform-provider-translationauth/internal/mockapi"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("translationauth-mockapi: ")
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on (host:port)")
	latency := flag.Duration("latency", 0, "latency added to every token call, e.g. 200ms")
	envFile := flag.String("env-file", "", "write the export lines to this file (mode 0600) before printing them")
	smartlingUsers := flag.Int("smartling-users", 0, "also accept Smartling users bench-user-1..N with secrets bench-secret-1..N")
	smartlingTTL := flag.Duration("smartling-access-ttl", 0, "lifetime of Smartling access tokens, e.g. 6s (default 480s, as the real API)")
	flag.Parse()
	if *smartlingUsers < 0 {
		log.Fatal("-smartling-users must not be negative")
	}

	cfg := mockapi.DefaultConfig()
	cfg.Latency = *latency
	if *smartlingTTL < 0 {
		log.Fatal("-smartling-access-ttl must not be negative")
	}
	if *smartlingTTL > 0 {
		cfg.Smartling.AccessTTL = *smartlingTTL
	}
	addSmartlingUsers(&cfg, *smartlingUsers)
	srv, err := mockapi.StartAddr(cfg, *listen)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	env := envLines(srv)
	if *envFile != "" {
		if err := writeFileAtomic(*envFile, []byte(env)); err != nil {
			srv.Close()
			log.Fatal(err)
		}
	}
	fmt.Print(env)
	log.Printf("serving on %s (stats: %s/_mock/stats)", srv.URL, srv.URL)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	log.Print("shutting down")
}

// addSmartlingUsers adds the Smartling users bench-user-1..n, with secrets
// bench-secret-1..n, for benchmarks that need several credential sets.
func addSmartlingUsers(cfg *mockapi.Config, n int) {
	for i := 1; i <= n; i++ {
		cfg.Smartling.Users[fmt.Sprintf("bench-user-%d", i)] = fmt.Sprintf("bench-secret-%d", i)
	}
}

// envLines exports the mock's demo environment (mockapi.Server.DemoEnv) and
// MOCKAPI_URL, for a POSIX shell to source.
func envLines(srv *mockapi.Server) string {
	vars := append(srv.DemoEnv(), [2]string{"MOCKAPI_URL", srv.URL})
	var b strings.Builder
	for _, v := range vars {
		fmt.Fprintf(&b, "export %s=%s\n", v[0], shellQuote(v[1]))
	}
	return b.String()
}

// shellQuote single-quotes s for POSIX shells.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// writeFileAtomic writes data to a temporary file beside path and renames it,
// so a script polling for path never reads a half-written file.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".mockapi-env-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
