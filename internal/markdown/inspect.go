package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Outline is what a check needs to know of a document: its headings and
// every link and image, with where they are written.
type Outline struct {
	Headings []Heading
	Refs     []Ref
}

// Heading is a heading of a document.
type Heading struct {
	Level int    // 1 for "#"
	ID    string // the id it is rendered with
	Text  string
	Line  int // in the Markdown source, from 1
	Col   int // in characters, from 1
}

// Ref is a link, an autolink or an image, whatever it points to.
type Ref struct {
	Dest  string // as written
	Image bool
	Alt   string // an image's text alternative, spaces trimmed
	Line  int
	Col   int
}

// Inspect parses src as Convert does, without rendering it, and returns its
// outline. Heading IDs are the ones Convert gives.
func (c *Converter) Inspect(src []byte) Outline {
	pc := parser.NewContext(parser.WithIDs(newIDs()))
	doc := c.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	var o Outline
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			h := Heading{Level: n.Level, Text: string(bytes.TrimSpace(plain(n, src)))}
			if id, ok := n.AttributeString("id"); ok {
				if b, ok := id.([]byte); ok {
					h.ID = string(b)
				}
			}
			h.Line, h.Col = position(n, src)
			o.Headings = append(o.Headings, h)
		case *ast.Link:
			r := Ref{Dest: string(n.Destination)}
			r.Line, r.Col = position(n, src)
			o.Refs = append(o.Refs, r)
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL {
				r := Ref{Dest: string(n.URL(src))}
				r.Line, r.Col = position(n, src)
				o.Refs = append(o.Refs, r)
			}
		case *ast.Image:
			r := Ref{Dest: string(n.Destination), Image: true, Alt: string(bytes.TrimSpace(plain(n, src)))}
			r.Line, r.Col = position(n, src)
			o.Refs = append(o.Refs, r)
		}
		return ast.WalkContinue, nil
	})
	return o
}
