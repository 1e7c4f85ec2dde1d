//go:build !unix

package cli

import "os"

func readSiteFile(name string) ([]byte, error) { return os.ReadFile(name) }
