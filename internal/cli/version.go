package cli

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
)

// Version and Commit may be set at link time, where the go command cannot
// find them itself (see versionUsage):
//
//	go build -ldflags "-X github.com/congxa/congxa/internal/cli.Version=v1.2.3 -X github.com/congxa/congxa/internal/cli.Commit=$(git rev-parse HEAD)" ./cmd/congxa
var (
	Version = ""
	Commit  = ""
)

const versionUsage = `usage: congxa version

Prints the version of congxa and the git commit it was built from, as
"congxa v1.2.3 (commit 0123456789ab)"; ", modified" follows the commit
when the working tree had uncommitted changes.

The go command records the commit in binaries that "go build" or
"go install" makes in a git clone. "go run", "go install
module@version" (which knows the version but not the commit), a build
in a linked git worktree or with -buildvcs=false record none: then the
commit reads "unknown", unless given at link time with
-ldflags "-X github.com/congxa/congxa/internal/cli.Commit=...".

examples:
  congxa version
  congxa --version
`

const helpUsage = `usage: congxa help [COMMAND]

Shows what congxa's commands do, or one command's flags and examples.

examples:
  congxa help
  congxa help build
  congxa help visits
  congxa build --help
`

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
			fmt.Fprint(stdout, versionUsage)
			return ExitOK
		}
		fmt.Fprintf(stderr, "congxa version: unexpected argument %q\n", args[0])
		return ExitUsage
	}
	fmt.Fprintf(stdout, "congxa %s\n", versionString(debug.ReadBuildInfo()))
	return ExitOK
}

func versionString(bi *debug.BuildInfo, ok bool) string {
	v, commit, modified := Version, Commit, false
	if ok {
		if v == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if commit == "" {
					commit = s.Value
				}
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	if commit == "" {
		return v + " (commit unknown)"
	}
	if len(commit) > 12 {
		commit = commit[:12]
	}
	if modified {
		commit += ", modified"
	}
	return v + " (commit " + commit + ")"
}
