package markdown

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
)

// Most news posts are paragraphs of prose with a heading, a list or a
// table among them, and most of their paragraphs, headings and list items
// hold no Markdown at all. goldmark spends most of a page's conversion
// finding that out. convertParagraphs writes such pieces itself and hands
// goldmark the rest; a document where that might change the output is
// left to goldmark whole. The output is goldmark's, byte for byte:
// TestParagraphsSameAsGoldmark and FuzzParagraphsSameAsGoldmark compare.
//
// Why a piece can be converted alone. The document is cut before a line
// that follows a blank line and starts a paragraph (a letter, a digit not
// followed by "." or ")", a byte of a multi-byte character, '"', '\''
// or '(') or an ATX heading ("## "), and after such a heading: there,
// every list, quote, table and indented code block is closed, unless a
// fenced code block or an HTML block that runs over blank lines is open.
// Neither can be: a document with "```", "~~~", or a "<" that could start
// such an HTML block ("<!", "<?", "<pre", "<script", "<style",
// "<textarea") is left whole. It is also cut before a list ("- ")
// that follows a paragraph or a heading and a blank line, as nothing but
// that paragraph was open. A document with "]:", which any link reference
// definition has, is left whole: without definitions, no piece's links
// depend on another. Heading IDs, which must differ across the document,
// come from one generator for all the pieces, in order.
//
// Written here: a paragraph whose lines all start so, a heading, and a
// list of "- " items with no blank line between them, each item starting
// so, when their text holds nothing goldmark would change but '"' and
// plain **bold** (see plainLine).

// lineStart marks the bytes a line may start with; digits are checked
// further.
var lineStart = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = true
	}
	t['"'], t['\''], t['('] = true, true, true
	return
}()

// inline marks the bytes after which goldmark's inline parsers or its
// writer may do something other than copy the text: emphasis, code,
// links, images, raw HTML, references and escapes, strikethrough, tables,
// the characters HTML escapes (but '"', which is escaped here), the '@'
// of an e-mail autolink and the ':' of "https://" (a ':' not followed by
// "//" is let through), the 'w' and 'W' of "www." (Vietnamese has no w),
// and control characters. A paragraph without them is its text.
var inline = func() (t [256]bool) {
	for _, c := range []byte("\\`*_[]!<>&~|@:wW") {
		t[c] = true
	}
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t[0x7F] = true
	return
}()

// piece is a part of the document: src[start:end], without its last
// newline, from line line.
type piece struct {
	start, end int
	line       int
	kind       int
	// plain: every line holds text as plainLine says, and the piece is
	// a paragraph, a heading or a list written here.
	plain bool
}

// The kinds of pieces.
const (
	paraPiece    = iota // lines that all start as startsParagraphText says
	headingPiece        // one ATX heading ("## Kết quả") after a blank line
	listPiece           // lines "- text", after a blank line or a heading
	tablePiece          // lines "| … |", after a blank line or a heading
	otherPiece          // anything else, for goldmark
)

// pieces cuts src into pieces, or reports false when src is to be left
// whole. A piece starts at the first line, after a heading, and after a
// blank line at a line that starts a paragraph or a heading, or a list
// when the piece before is a paragraph or a heading: there, nothing
// before is still open.
func pieces(src []byte, ps []piece) ([]piece, bool) {
	if !cuttable(src) {
		return nil, false
	}
	cur := -1     // the open piece's index
	blank := true // the line before was blank, or there was none
	line := 0
	for i := 0; i < len(src); {
		line++
		end := bytes.IndexByte(src[i:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += i
		}
		l := src[i:end]
		i = end + 1
		if isBlank(l) {
			blank = true
			continue
		}
		para := startsParagraphText(l)
		level, text := atxHeading(l)
		item, bullet := bulletItem(l)
		row := isRow(l)
		start := cur < 0 || ps[cur].kind == headingPiece ||
			blank && (para || level > 0 || row || bullet && (ps[cur].kind == paraPiece || ps[cur].kind == tablePiece))
		if start {
			p := piece{start: end - len(l), end: end, line: line, kind: otherPiece}
			switch {
			case para:
				p.kind, p.plain = paraPiece, plainLine(l)
			case level > 0:
				p.kind, p.plain = headingPiece, plainHeading(text)
			case bullet:
				p.kind, p.plain = listPiece, plainLine(item)
			case row:
				p.kind, p.plain = tablePiece, true // see table
			}
			ps = append(ps, p)
			cur = len(ps) - 1
		} else {
			p := &ps[cur]
			p.end = end
			switch {
			case p.kind == paraPiece && para:
				p.plain = p.plain && plainLine(l)
			case p.kind == listPiece && bullet && !blank:
				p.plain = p.plain && plainLine(item)
			case p.kind == tablePiece && row && !blank:
			default:
				p.kind, p.plain = otherPiece, false
			}
		}
		blank = false
	}
	return ps, true
}

// isRow reports whether l is written as a table's row: "| … |".
func isRow(l []byte) bool {
	return len(l) > 1 && l[0] == '|' && l[len(l)-1] == '|'
}

// cells returns the cells of a row "| a | b |", without their spaces.
func cells(row []byte, dst [][]byte) [][]byte {
	for c := range bytes.SplitSeq(row[1:len(row)-1], []byte("|")) {
		dst = append(dst, bytes.Trim(c, " "))
	}
	return dst
}

// alignments returns the style of each column of a delimiter row
// ("|---|:--:|--:|"), or false when row is not one.
func alignments(row []byte) ([]string, bool) {
	var as []string
	var stack [16][]byte
	for _, c := range cells(row, stack[:0]) {
		left, right := bytes.HasPrefix(c, []byte(":")), bytes.HasSuffix(c, []byte(":"))
		dashes := bytes.Trim(c, ":")
		if len(dashes) == 0 || len(bytes.Trim(dashes, "-")) > 0 || len(c)-len(dashes) > 2 {
			return nil, false
		}
		switch {
		case left && right:
			as = append(as, ` style="text-align:center"`)
		case left:
			as = append(as, ` style="text-align:left"`)
		case right:
			as = append(as, ` style="text-align:right"`)
		default:
			as = append(as, "")
		}
	}
	return as, true
}

// appendTable appends the HTML of a table piece when it is a table goldmark
// would write so: a header row, a delimiter row, and at least one row,
// all with as many cells, each holding plain text. ok is false otherwise,
// and out is as it was.
func appendTable(out, text []byte) (_ []byte, ok bool) {
	var rows [][]byte
	for l := range bytes.SplitSeq(text, []byte("\n")) {
		rows = append(rows, l)
	}
	if len(rows) < 3 {
		return out, false
	}
	as, ok := alignments(rows[1])
	if !ok {
		return out, false
	}
	// Written as it is checked; a row that does not fit takes it back.
	start := len(out)
	out = append(out, tableWrapOpen...)
	out = append(out, "<table>\n<thead>\n"...)
	var stack [16][]byte
	for i, r := range rows {
		if i == 1 {
			continue
		}
		cs := cells(r, stack[:0])
		if len(cs) != len(as) {
			return out[:start], false
		}
		tag := "td"
		if i == 0 {
			tag = "th"
		}
		out = append(out, "<tr>\n"...)
		for j, c := range cs {
			if len(c) == 0 || !plainLine(c) {
				return out[:start], false
			}
			out = append(out, '<')
			out = append(out, tag...)
			out = append(out, as[j]...)
			out = append(out, '>')
			out = appendPlain(out, c)
			out = append(out, '<', '/')
			out = append(out, tag...)
			out = append(out, ">\n"...)
		}
		out = append(out, "</tr>\n"...)
		if i == 0 {
			out = append(out, "</thead>\n<tbody>\n"...)
		}
	}
	out = append(out, "</tbody>\n</table>\n"...)
	out = append(out, tableWrapClose...)
	return out, true
}

// atxHeading returns the level and text of a heading line "## text", or 0
// when l is not one.
func atxHeading(l []byte) (level int, text []byte) {
	for level < len(l) && level < 7 && l[level] == '#' {
		level++
	}
	if level == 0 || level > 6 || level+1 >= len(l) || l[level] != ' ' {
		return 0, nil
	}
	return level, l[level+1:]
}

// plainHeading reports whether a heading's text is written here: plain,
// starting as a paragraph's line would, without a closing "#".
func plainHeading(text []byte) bool {
	return startsParagraphText(text) && text[len(text)-1] != '#' && plainLine(text)
}

// bulletItem returns the text of a line "- text" whose text starts as a
// paragraph's line (not another list, a heading or a task box).
func bulletItem(l []byte) ([]byte, bool) {
	if len(l) > 2 && l[0] == '-' && l[1] == ' ' && startsParagraphText(l[2:]) {
		return l[2:], true
	}
	return nil, false
}

// cuttable reports whether src holds none of what pieces cannot cut
// around.
func cuttable(src []byte) bool {
	if bytes.Contains(src, []byte("```")) || bytes.Contains(src, []byte("~~~")) || bytes.Contains(src, []byte("]:")) ||
		bytes.IndexByte(src, '\r') >= 0 {
		return false
	}
	for rest := src; ; {
		i := bytes.IndexByte(rest, '<')
		if i < 0 || i+1 == len(rest) {
			return true
		}
		rest = rest[i+1:]
		switch rest[0] {
		case '!', '?', 'p', 'P', 's', 'S', 't', 'T':
			return false
		}
	}
}

// plainLine reports whether a paragraph's line l is text that goldmark
// would copy, but for '"', which it escapes, and "**", which it makes
// <strong> in the one case allowed here: pairs on the line, each "**"
// alone (not "***"), the opening one after a space and before a letter
// or digit, the closing one after a letter or digit and before the
// line's end, a space or one of .,;:?)" -- so that the first can only
// open and the second only close, and each closes the one before it.
func plainLine(l []byte) bool {
	if l[len(l)-1] == ' ' {
		return false // a hard line break, or space goldmark trims
	}
	open := false
	for j := 0; j < len(l); j++ {
		c := l[j]
		if !inline[c] {
			continue
		}
		switch {
		case c == ':' && !bytes.HasPrefix(l[j+1:], []byte("//")):
			continue
		case c != '*' || j+1 == len(l) || l[j+1] != '*' || j+2 < len(l) && l[j+2] == '*':
			return false
		case !open:
			if j == 0 || l[j-1] != ' ' {
				return false
			}
			if r, _ := utf8.DecodeRune(l[j+2:]); !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return false
			}
		default:
			if r, _ := utf8.DecodeLastRune(l[:j]); !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return false
			}
			if j+2 < len(l) && !strings.ContainsRune(" .,;:?)\"", rune(l[j+2])) {
				return false
			}
		}
		open = !open
		j++
	}
	return !open
}

func isBlank(l []byte) bool {
	for _, c := range l {
		if c != ' ' {
			return false
		}
	}
	return true
}

// startsParagraphText reports whether a line starting so is text of a
// paragraph, whatever the lines around it.
func startsParagraphText(l []byte) bool {
	if !lineStart[l[0]] {
		return false
	}
	if l[0] >= '0' && l[0] <= '9' {
		// "1." and "1)" start an ordered list.
		i := 0
		for i < len(l) && l[i] >= '0' && l[i] <= '9' {
			i++
		}
		if i < len(l) && (l[i] == '.' || l[i] == ')') {
			return false
		}
	}
	return true
}

// convertParagraphs converts src as goldmark would, when src can be cut
// into pieces and some of them are plain paragraphs; ok is false
// otherwise, and nothing is done.
func (c *Converter) convertParagraphs(src []byte, r Resolver, withSummary bool) (res Result, ok bool, err error) {
	var stack [32]piece
	ps, ok := pieces(src, stack[:0])
	if !ok {
		return Result{}, false, nil
	}
	plains := 0
	for _, p := range ps {
		if p.plain {
			plains++
		}
	}
	if plains == 0 && len(ps) > 0 {
		return Result{}, false, nil
	}
	out := make([]byte, 0, len(src)+len(src)/8+16)
	var links []Link
	var headingIDs *ids
	for i := 0; i < len(ps); i++ {
		p := ps[i]
		if p.plain {
			text := src[p.start:p.end]
			switch p.kind {
			case paraPiece:
				out = append(out, "<p>"...)
				out = appendPlain(out, text)
				out = append(out, "</p>\n"...)
				if withSummary && res.Summary == "" {
					words := strings.Fields(strings.ReplaceAll(string(text), "**", ""))
					res.Summary = Truncate(strings.Join(words, " "), SummaryLength)
				}
			case headingPiece:
				if headingIDs == nil {
					headingIDs = newIDs()
				}
				level, text := atxHeading(text)
				h := byte('0' + level)
				out = append(out, '<', 'h', h)
				out = append(out, ` id="`...)
				out = append(out, headingIDs.Generate(text, ast.KindHeading)...)
				out = append(out, '"', '>')
				out = appendPlain(out, text)
				out = append(out, '<', '/', 'h', h, '>', '\n')
			case tablePiece:
				var ok bool
				if out, ok = appendTable(out, text); !ok {
					ps[i].plain = false
					i-- // for goldmark, below
				}
			case listPiece:
				out = append(out, "<ul>\n"...)
				for l := range bytes.SplitSeq(text, []byte("\n")) {
					out = append(out, "<li>"...)
					out = appendPlain(out, l[2:])
					out = append(out, "</li>\n"...)
				}
				out = append(out, "</ul>\n"...)
			}
			continue
		}
		// The pieces up to the next plain one, in one call.
		end := p.end
		for i+1 < len(ps) && !ps[i+1].plain {
			i++
			end = ps[i].end
		}
		if end < len(src) {
			end++ // as the whole document has it: an HTML block ends with its newline
		}
		if headingIDs == nil {
			headingIDs = newIDs()
		}
		one, err := c.convertGoldmark(src[p.start:end], r, withSummary && res.Summary == "", headingIDs)
		if err != nil {
			return Result{}, true, err
		}
		out = append(out, one.HTML...)
		for _, l := range one.Links {
			if l.Line > 0 {
				l.Line += p.line - 1
			}
			links = append(links, l)
		}
		if res.Summary == "" {
			res.Summary = one.Summary
		}
	}
	res.HTML, res.Links = out, links
	return res, true, nil
}

// appendPlain appends the HTML of a plain paragraph's text.
func appendPlain(out, text []byte) []byte {
	open := false
	for {
		i := bytes.IndexAny(text, "\"*")
		if i < 0 {
			return append(out, text...)
		}
		out = append(out, text[:i]...)
		if text[i] == '"' {
			out = append(out, "&quot;"...)
			text = text[i+1:]
			continue
		}
		if open {
			out = append(out, "</strong>"...)
		} else {
			out = append(out, "<strong>"...)
		}
		open = !open
		text = text[i+2:]
	}
}
