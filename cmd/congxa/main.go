// Command congxa builds the web portal of a Vietnamese commune from a site
// folder. See README.md, or run "congxa help".
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/congxa/congxa/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
