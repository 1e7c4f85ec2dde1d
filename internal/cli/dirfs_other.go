//go:build !unix

package cli

import (
	"io"
	"os"
	"time"
)

func readSiteFile(name string) (data []byte, size int64, mod time.Time, err error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, time.Time{}, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, 0, time.Time{}, err
	}
	if data, err = io.ReadAll(f); err != nil {
		return nil, 0, time.Time{}, err
	}
	return data, info.Size(), info.ModTime(), nil
}
