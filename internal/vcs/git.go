// Package vcs reads what the site's version control knows about its files:
// when each was last changed, for "lastmod: git". It runs the git command.
package vcs

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// ErrShallow is returned for a shallow clone, whose history cannot tell
// when files last changed: its oldest commit seems to have made every file.
var ErrShallow = errors.New("shallow clone")

// LastChanges returns the time of the last commit that touched each file
// under dir/sub, by its path relative to dir ("content/tin-tuc/a.md"). A
// repository with no commit gives an empty map.
func LastChanges(dir, sub string) (map[string]time.Time, error) {
	git := func(args ...string) ([]byte, error) {
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "core.quotePath=false"}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("%s", strings.TrimSpace(stderr.String()))
		}
		return out, err
	}
	shallow, err := git("rev-parse", "--is-shallow-repository")
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(string(shallow)) == "true" {
		return nil, ErrShallow
	}
	out, err := git("log", "--format=@%ct", "--name-only", "--relative", "--no-renames", "--", sub)
	if err != nil {
		if strings.Contains(err.Error(), "does not have any commits") {
			return map[string]time.Time{}, nil
		}
		return nil, err
	}
	return parseLog(out), nil
}

// parseLog reads "git log --format=@%ct --name-only": for each commit,
// newest first, a line "@<unix time>" and the files it touched. The first
// time a file appears is its last change. (Paths are under a folder given
// to git, so none starts with "@".)
func parseLog(out []byte) map[string]time.Time {
	dates := map[string]time.Time{}
	var t time.Time
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "@"); ok {
			if sec, err := strconv.ParseInt(rest, 10, 64); err == nil {
				t = time.Unix(sec, 0).UTC()
				continue
			}
		}
		if _, seen := dates[line]; !seen && !t.IsZero() {
			dates[line] = t
		}
	}
	return dates
}
