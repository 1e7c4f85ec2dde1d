package watch

import (
	"io/fs"
	"path/filepath"
	"time"
)

// poller finds changes by listing the folders at an interval and comparing
// each file's size and modification time with the last listing.
type poller struct {
	w    *Watcher
	last map[string]fileState
}

type fileState struct {
	size int64
	mod  time.Time
	dir  bool
}

func newPoller(w *Watcher) *poller {
	p := &poller{w: w}
	p.last = p.scan()
	return p
}

func (p *poller) scan() map[string]fileState {
	m := map[string]fileState{}
	for _, d := range p.w.opt.Dirs {
		_ = filepath.WalkDir(filepath.Join(p.w.opt.Root, d), func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			rel, ok := p.w.rel(path)
			if !ok || p.w.ignored(rel) {
				if e.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			fi, err := e.Info()
			if err != nil {
				return nil
			}
			m[rel] = fileState{size: fi.Size(), mod: fi.ModTime(), dir: e.IsDir()}
			return nil
		})
	}
	return m
}

func (p *poller) run() {
	t := time.NewTicker(p.w.opt.Poll)
	defer t.Stop()
	for {
		select {
		case <-p.w.done:
			return
		case <-t.C:
		}
		now := p.scan()
		for rel, st := range now {
			if old, ok := p.last[rel]; !ok || old.size != st.size || !old.mod.Equal(st.mod) || old.dir != st.dir {
				p.w.send(rel)
			}
		}
		for rel := range p.last {
			if _, ok := now[rel]; !ok {
				p.w.send(rel)
			}
		}
		p.last = now
	}
}
