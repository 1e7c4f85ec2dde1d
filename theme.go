// Package congxa holds the default theme: the demo portal's layouts/ and
// assets/, embedded in the binary so that a site folder with only content/
// builds. go:embed can only reach files below the embedding package, which is
// why this file sits at the top of the repository.
package congxa

import (
	"embed"
	"io/fs"
)

//go:embed layouts assets
var theme embed.FS

// Theme returns the default theme's files: layouts/… and assets/….
func Theme() fs.FS { return theme }
