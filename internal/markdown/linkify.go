package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// quickLinkify is goldmark's linkify parser behind a test that turns away,
// cheaply, the places where it cannot find a link.
//
// The linkify parser is triggered by every space of every paragraph (and by
// '*', '_', '~', '('), and tried four prefixes and an e-mail scan at each:
// about a fifth of goldmark's time on Vietnamese prose, where words are
// short. It finds a link only where the text after the trigger starts with
// "http:", "https:", "ftp:" or "www.", or has an '@' within its first 65
// bytes (an address's local part is at most 64 bytes: see
// util.FindEmailIndex). Anywhere else it returns nil without moving the
// reader, so returning nil at once changes nothing.
type quickLinkify struct {
	parser.InlineParser
}

// parserOptionsLinkify are the parser options that add quickLinkify as
// extension.Linkify adds its parser.
func parserOptionsLinkify() []parser.Option {
	return []parser.Option{parser.WithInlineParsers(util.Prioritized(quickLinkify{extension.NewLinkifyParser()}, 999))}
}

func (q quickLinkify) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if len(line) == 0 {
		return nil
	}
	switch line[0] {
	case ' ', '*', '_', '~', '(':
		line = line[1:]
	}
	if !mayLinkify(line) {
		return nil
	}
	return q.InlineParser.Parse(parent, block, pc)
}

// mayLinkify reports whether goldmark's linkify could find a link at the
// start of line (line past the trigger character).
func mayLinkify(line []byte) bool {
	if len(line) == 0 {
		return false
	}
	switch line[0] {
	case 'h', 'f', 'w':
		return true
	}
	return bytes.IndexByte(line[:min(len(line), 65)], '@') >= 0
}
