// Package tthc reads the snapshot of a commune's administrative-procedure
// (thủ tục hành chính) statistics, exported from the one-stop-shop system as
// content/tthc.json:
//
//	{
//	  "updated_at": "2023-12-02T22:14:02+07:00",  // RFC 3339, with an offset
//	  "period": "2023-12",                        // the year-to-date period the figures cover
//	  "processed": 1035, "on_time": 1034, "late": 1,
//	  "by_field": [{"name": "Hộ tịch", "processed": 0, "on_time": 0, "late": 0}],   // optional
//	  "history":  [{"period": "2023-11", "processed": 0, "on_time": 0, "late": 0}]  // optional, one entry a month
//	}
//
// Every count must be present, a whole number, not negative, and on_time +
// late must equal processed: the portal publishes these figures as official,
// so a snapshot that does not add up stops the build instead of showing
// wrong numbers. Rates are not read from the file; they are computed from
// the counts.
package tthc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/congxa/congxa/internal/diag"
	"github.com/congxa/congxa/internal/jsonpos"
	"github.com/congxa/congxa/internal/vn"
)

// Counts are the figures of one period or field.
type Counts struct {
	Processed int64
	OnTime    int64
	Late      int64
}

// OnTimeRate is on_time/processed in tenths of a percent, rounded half-up;
// false when nothing was processed.
func (c Counts) OnTimeRate() (int64, bool) { return vn.RateTenths(c.OnTime, c.Processed) }

// LateRate is late/processed in tenths of a percent.
func (c Counts) LateRate() (int64, bool) { return vn.RateTenths(c.Late, c.Processed) }

// Field is the figures of one field of procedures (hộ tịch, đất đai, …).
type Field struct {
	Name string
	Counts
}

// Month is the figures of one month.
type Month struct {
	Period string // "2023-11"
	Year   int
	Month  int
	Counts
}

// Snapshot is a decoded, checked tthc.json.
type Snapshot struct {
	UpdatedAt    time.Time
	UpdatedAtPos diag.Pos // where updated_at is written
	Period       string
	Year         int
	Month        int // the month the year-to-date figures reach
	Counts
	ByField []Field
	History []Month // oldest first
}

var periodRE = regexp.MustCompile(`^(\d{4})-(\d{2})$`)

var topKeys = []string{"updated_at", "period", "processed", "on_time", "late", "by_field", "history"}

// Decode reads and checks a snapshot. now is the build time: a snapshot
// updated in the future is a mistake (a wrong clock or offset on export).
func Decode(src diag.Source, now time.Time) (*Snapshot, diag.List) {
	var diags diag.List
	idx, err := jsonpos.Scan(src.Data)
	if err != nil {
		var se *jsonpos.SyntaxError
		errors.As(err, &se)
		diags.Errorf(src.Pos(se.Offset), "invalid JSON: %s", se.Msg)
		return nil, diags
	}
	at := func(path string) diag.Pos { return src.Pos(idx.Offset(path)) }
	dec := json.NewDecoder(bytes.NewReader(src.Data))
	dec.UseNumber()
	var root any
	_ = dec.Decode(&root) // Scan has checked the syntax
	obj, ok := root.(map[string]any)
	if !ok {
		diags.Errorf(at(""), "the snapshot must be a JSON object")
		return nil, diags
	}
	s := &Snapshot{}
	for _, k := range sortedKeys(obj) {
		if !contains(topKeys, k) {
			diags.Warnf(at(k), "unknown field %q (known fields: %s)", k, strings.Join(topKeys, ", "))
		}
	}

	if v, ok := obj["updated_at"]; !ok {
		diags.Errorf(at(""), "missing field \"updated_at\": the time of the export, e.g. \"2023-12-02T22:14:02+07:00\"")
	} else if str, ok := v.(string); !ok {
		diags.Errorf(at("updated_at"), "updated_at must be a text date, e.g. \"2023-12-02T22:14:02+07:00\"")
	} else if t, err := time.Parse(time.RFC3339, str); err != nil {
		diags.Errorf(at("updated_at"), "updated_at %q must be an RFC 3339 date with an offset, e.g. \"2023-12-02T22:14:02+07:00\"", str)
	} else if !now.IsZero() && t.After(now.Add(5*time.Minute)) {
		diags.Errorf(at("updated_at"), "updated_at %q is in the future (the build's time is %s)", str, now.Format(time.RFC3339))
	} else {
		s.UpdatedAt, s.UpdatedAtPos = t, at("updated_at")
	}

	if v, ok := obj["period"]; !ok {
		diags.Errorf(at(""), "missing field \"period\": the month the figures reach, e.g. \"2023-12\"")
	} else {
		s.Period, s.Year, s.Month = period(&diags, at("period"), "period", v)
	}
	s.Counts = counts(&diags, at, "", obj)

	if v, ok := obj["by_field"]; ok {
		list, ok := v.([]any)
		if !ok {
			diags.Errorf(at("by_field"), "by_field must be a list of fields")
		}
		for i, e := range list {
			p := jsonpos.Elem("by_field", i)
			o, ok := e.(map[string]any)
			if !ok {
				diags.Errorf(at(p), "%s must be an object with name, processed, on_time and late", p)
				continue
			}
			f := Field{}
			if n, ok := o["name"].(string); !ok || strings.TrimSpace(n) == "" {
				diags.Errorf(at(jsonpos.Child(p, "name")), "%s.name must be a non-empty text", p)
			} else {
				f.Name = vn.NFC(strings.TrimSpace(n))
			}
			f.Counts = counts(&diags, at, p, o)
			s.ByField = append(s.ByField, f)
		}
	}
	if v, ok := obj["history"]; ok {
		list, ok := v.([]any)
		if !ok {
			diags.Errorf(at("history"), "history must be a list of months")
		}
		seen := map[string]bool{}
		for i, e := range list {
			p := jsonpos.Elem("history", i)
			o, ok := e.(map[string]any)
			if !ok {
				diags.Errorf(at(p), "%s must be an object with period, processed, on_time and late", p)
				continue
			}
			m := Month{}
			pp := jsonpos.Child(p, "period")
			if pv, ok := o["period"]; !ok {
				diags.Errorf(at(p), "%s: missing field \"period\"", p)
			} else {
				m.Period, m.Year, m.Month = period(&diags, at(pp), pp, pv)
				if m.Period != "" && seen[m.Period] {
					diags.Errorf(at(pp), "%s: period %q appears twice in history", pp, m.Period)
				}
				seen[m.Period] = true
			}
			m.Counts = counts(&diags, at, p, o)
			s.History = append(s.History, m)
		}
		sort.SliceStable(s.History, func(i, j int) bool { return s.History[i].Period < s.History[j].Period })
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return s, diags
}

func period(diags *diag.List, pos diag.Pos, name string, v any) (string, int, int) {
	str, _ := v.(string)
	m := periodRE.FindStringSubmatch(str)
	if m == nil {
		diags.Errorf(pos, "%s must be a month written yyyy-mm, e.g. \"2023-12\"", name)
		return "", 0, 0
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	if mo < 1 || mo > 12 {
		diags.Errorf(pos, "%s %q has no month %d", name, str, mo)
		return "", 0, 0
	}
	return str, y, mo
}

// counts reads processed, on_time and late of the object at path and checks
// that they add up.
func counts(diags *diag.List, at func(string) diag.Pos, path string, o map[string]any) Counts {
	var c Counts
	ok := true
	read := func(key string, dst *int64) {
		p := jsonpos.Child(path, key)
		v, present := o[key]
		if !present {
			diags.Errorf(at(path), "missing field %q", p)
			ok = false
			return
		}
		num, isNum := v.(json.Number)
		n, err := num.Int64()
		if !isNum || err != nil {
			diags.Errorf(at(p), "%s must be a whole number, not %s", p, describe(v))
			ok = false
			return
		}
		if n < 0 {
			diags.Errorf(at(p), "%s must not be negative, not %d", p, n)
			ok = false
			return
		}
		*dst = n
	}
	read("processed", &c.Processed)
	read("on_time", &c.OnTime)
	read("late", &c.Late)
	if ok && c.OnTime+c.Late != c.Processed {
		name := "the snapshot"
		if path != "" {
			name = path
		}
		diags.Errorf(at(jsonpos.Child(path, "processed")), "%s does not add up: on_time %d + late %d = %d, but processed is %d",
			name, c.OnTime, c.Late, c.OnTime+c.Late, c.Processed)
	}
	return c
}

func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(v)
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprint(v)
}

func sortedKeys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
