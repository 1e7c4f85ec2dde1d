//go:build !unix

package publish

import (
	"io"
	"os"
)

func createFile(name string) (io.WriteCloser, error) {
	return os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
}

func overwrite(name string) (io.WriteCloser, bool, error) { return nil, false, nil }
