package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/congxa/congxa/internal/testsite"
)

// The usual script injections, put where an editor can put text: they must
// come out as the text that was typed, never as markup.
const (
	xssTitle     = `<script>alert('tiêu đề')</script>"><img src=x onerror=alert(1)>{{.Site.Title}}`
	xssSummary   = `]]></description><script>alert(2)</script>"><svg onload=alert(3)>&lt;b&gt;</script>`
	xssCategory  = `</title><script>alert(4)</script>'><svg onload=alert(5)>`
	xssTag       = `"><img src=x onerror=alert(6)>`
	xssSiteTitle = `</title><script>alert(7)</script>`
	xssImage     = `https://anh.example.vn/a.jpg?q="><script>alert(8)</script>`
	xssFile      = `x"><img src=y onerror=alert(9)>.jpg` // a file name
)

// broke are what a payload that escaped its text leaves in a file.
var broke = regexp.MustCompile(`(?i)<script>alert|<img src=[xy] |<svg onload`)

func xssSite(t *testing.T, dir string, payloads bool, extraSettings string) {
	t.Helper()
	v := func(payload, plain string) string {
		if payloads {
			return payload
		}
		return plain
	}
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) } // JSON strings are YAML strings
	writeFile(t, filepath.Join(dir, "content", "site.yaml"), fmt.Sprintf(`title: %s
base_url: https://thunghiem.example.gov.vn/
contact:
  editor_in_chief: %s
  address: %s
  phone: "0200 3812 345"
  email: ubnd@thunghiem.example.gov.vn
menu:
  - {label: %s, url: /}
  - {label: Tin tức, url: /tin-tuc/}
links:
  - {label: %s, url: %s}
%s`, q(v(xssSiteTitle, "Xã Thử Nghiệm")), q(v(xssTitle, "Chủ tịch")), q(v(xssTag, "UBND xã")), q(v(xssCategory, "Trang chủ")), q(v(xssSummary, "Cổng")), q(v(`https://x.example.vn/?a="><script>alert(10)</script>`, "https://x.example.vn/")), extraSettings))
	writeFile(t, filepath.Join(dir, "content", "tin-tuc", "_index.md"), fmt.Sprintf("---\ntitle: %s\n---\n%s\n", q(v(xssTitle, "Tin tức")), v("<script>alert(11)</script> [x](javascript:alert(12)) <img src=x onerror=alert(13)>", "Giới thiệu.")))
	writeFile(t, filepath.Join(dir, "content", "tin-tuc", v(xssFile, "anh.jpg")), "jpeg")
	for i := range 3 {
		writeFile(t, filepath.Join(dir, "content", "tin-tuc", fmt.Sprintf("bai-%d.md", i)), fmt.Sprintf(`---
title: %s
date: 0%d/03/2024 08:00
summary: %s
category: %s
tags: [%s, %s]
image: %s
---
%s
`, q(v(xssTitle, "Tiêu đề")+fmt.Sprint(i)), i+1, q(v(xssSummary, "Tóm tắt")), q(v(xssCategory, "Thông báo")), q(v(xssTag, "họp dân")), q(v(xssTitle, "thôn")),
			q([]string{v(xssImage, "https://anh.example.vn/a.jpg"), v(xssFile, "anh.jpg"), v(xssFile, "anh.jpg")}[i]),
			v(`Thân bài <script>alert(14)</script> <img src=x onerror=alert(15)> [a](javascript:alert(16)) ![b](`+strings.ReplaceAll(xssFile, " ", "%20")+`)
<iframe src="https://www.youtube.com/embed/x" onload="alert(17)"></iframe>
<a href="https://ok.example.vn/" onclick="alert(18)" style="background:url(javascript:alert(19))">ok</a>`, "Thân bài.")))
	}
}

// findings lists, for every HTML page of a build, what could run script in
// it; and checks every other file: feeds and sitemaps are well-formed XML,
// JSON is JSON, and no payload got out of its text anywhere.
func findings(t *testing.T, dest string, frames ...string) []string {
	t.Helper()
	var out []string
	for _, rel := range listFiles(t, dest) {
		b, err := os.ReadFile(filepath.Join(dest, rel))
		if err != nil {
			t.Fatal(err)
		}
		if m := broke.Find(b); m != nil {
			t.Errorf("%s: a payload got out of its text: %q", rel, m)
		}
		switch strings.ToLower(filepath.Ext(rel)) {
		case ".html":
			for _, f := range testsite.Scripts(b, frames...) {
				out = append(out, f)
			}
		case ".xml":
			d := xml.NewDecoder(bytes.NewReader(b))
			for {
				if _, err := d.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Errorf("%s: not well-formed XML: %v", rel, err)
					break
				}
			}
		case ".json":
			if !json.Valid(b) {
				t.Errorf("%s: not valid JSON", rel)
			}
		}
	}
	sort.Strings(out)
	return out
}

// visibleText is the text of an HTML document, as a reader sees it.
func visibleText(t *testing.T, doc []byte) string {
	t.Helper()
	var b strings.Builder
	z := html.NewTokenizer(bytes.NewReader(doc))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			for {
				k, v, more := z.TagAttr()
				if string(k) == "alt" || string(k) == "content" || string(k) == "title" {
					b.WriteString(" " + string(v) + " ")
				}
				if !more {
					break
				}
			}
		}
	}
}

// Front matter values, settings and file names full of script come out
// escaped everywhere they appear: the text of pages, attributes (meta
// description, Open Graph, image sources, links), feeds and the sitemap.
// With the default theme, a site of payloads has exactly what could run
// script that the same site in plain words has (the theme's own print
// button), and the payloads are shown as typed. The same with raw HTML
// allowed through the sanitizer.
func TestNoScriptInjection(t *testing.T) {
	for _, settings := range []string{"", "markdown: {unsafe_html: true, iframe_hosts: [www.youtube.com]}\n"} {
		t.Run(fmt.Sprintf("unsafe_html=%v", settings != ""), func(t *testing.T) {
			root := t.TempDir()
			build := func(name string, payloads bool) string {
				src, dest := filepath.Join(root, name), filepath.Join(root, name+"-public")
				xssSite(t, src, payloads, settings)
				var stdout, stderr bytes.Buffer
				if code := Main(context.Background(), []string{"build", "--source", src, "--dest", dest}, &stdout, &stderr); code != 0 {
					t.Fatalf("build of %s: exit %d\n%s", name, code, stderr.String())
				}
				return dest
			}
			plain, payload := build("plain", false), build("payload", true)
			want, got := findings(t, plain, "www.youtube.com"), findings(t, payload, "www.youtube.com")
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("what could run script:\n%q\nwith plain words:\n%q", got, want)
			}
			t.Logf("findings: %q", want)
			if len(want) == 0 {
				t.Errorf("the theme's print button was not seen: is the check blind?")
			}

			// Shown as typed.
			posts, err := filepath.Glob(filepath.Join(payload, "tin-tuc", "*", "index.html"))
			if err != nil || len(posts) != 3 {
				t.Fatalf("posts: %v %v", posts, err)
			}
			for _, p := range posts {
				b, _ := os.ReadFile(p)
				txt := visibleText(t, b)
				for _, s := range []string{xssTitle, xssCategory, xssTag, xssSiteTitle, strings.ToUpper(xssSiteTitle)} {
					if !strings.Contains(txt, s) {
						t.Errorf("%s does not show %q", p, s)
					}
				}
			}
			home, _ := os.ReadFile(filepath.Join(payload, "index.html"))
			if txt := visibleText(t, home); !strings.Contains(txt, xssSummary) {
				t.Errorf("the home page does not show the summary %q", xssSummary)
			}
			feed, _ := os.ReadFile(filepath.Join(payload, "rss.xml"))
			var rss struct {
				Items []struct {
					Title       string `xml:"title"`
					Description string `xml:"description"`
					Category    string `xml:"category"`
				} `xml:"channel>item"`
			}
			if err := xml.Unmarshal(feed, &rss); err != nil || len(rss.Items) != 3 {
				t.Fatalf("rss.xml: %v, %d items", err, len(rss.Items))
			}
			for _, it := range rss.Items {
				if !strings.HasPrefix(it.Title, xssTitle) || it.Description != xssSummary || it.Category != xssCategory {
					t.Errorf("feed item %+v, want the payloads as typed", it)
				}
			}
		})
	}
}
