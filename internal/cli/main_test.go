package cli

import (
	"context"
	"os"
	"testing"
)

// TestMain lets a test run congxa in a process of its own, to kill it or to
// watch it fail: the test binary started with CONGXA_TEST_MAIN=1 is congxa.
func TestMain(m *testing.M) {
	if os.Getenv("CONGXA_TEST_MAIN") == "1" {
		os.Exit(Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
