package markdown

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"

	"github.com/congxa/congxa/internal/safeurl"
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
// followed by "." or ")", a byte of a multi-byte character, '"', '\'',
// '(', "**" and a character that makes it no list item or thematic break,
// or '[', which without definitions can only start text) or an ATX
// heading ("## "), and after such a heading: there,
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
// so, when their text holds nothing goldmark would change but '"', plain
// **bold** and plain inline links "[text](dest)" (see plainLine and
// inlineLink). A paragraph's line and a heading's text may also start
// with a link's "[", but not a list item's text ("- [x]" is a task box).

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

// inlineByte is inline, as bytes that are or'ed together.
var inlineByte = func() (t [256]byte) {
	for c, b := range inline {
		if b {
			t[c] = 1
		}
	}
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
		para := startsParagraphText(l) || l[0] == '['
		level, text := atxHeading(l)
		item, bullet := bulletItem(l)
		row := isRow(l)
		start := cur < 0 || ps[cur].kind == headingPiece ||
			blank && (para || level > 0 || row || bullet && (ps[cur].kind == paraPiece || ps[cur].kind == tablePiece))
		if start {
			p := piece{start: end - len(l), end: end, line: line, kind: otherPiece}
			switch {
			case para:
				p.kind, p.plain = paraPiece, plainLine(l, true)
			case level > 0:
				p.kind, p.plain = headingPiece, plainHeading(text)
			case bullet:
				p.kind, p.plain = listPiece, plainLine(item, true)
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
				p.plain = p.plain && plainLine(l, true)
			case p.kind == listPiece && bullet && !blank:
				p.plain = p.plain && plainLine(item, true)
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
			if len(c) == 0 || !plainLine(c, false) {
				return out[:start], false
			}
			out = append(out, '<')
			out = append(out, tag...)
			out = append(out, as[j]...)
			out = append(out, '>')
			open := false
			out = appendPlain(out, c, &open)
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
// starting as a paragraph's line would or with a link, without a closing
// "#".
func plainHeading(text []byte) bool {
	return (startsParagraphText(text) || text[0] == '[') && text[len(text)-1] != '#' && plainLine(text, true)
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
// would copy, but for '"', which it escapes, "**", which it makes
// <strong> in the cases allowed here, and, when whole is set, plain
// inline links (see inlineLink). whole says that l is a whole line of a
// paragraph, or a heading's or a list item's text, rather than a table's
// cell: goldmark then sees white space before and after it.
//
// "**" pairs on the line, each "**" alone (not "***"), the first of a
// pair only able to open and the second only able to close, so that each
// closes the one before it. In a cell: the opening one after a space and
// before a letter or digit, the closing one after a letter or digit and
// before the cell's end, a space or one of .,;:?)". In a whole line,
// goldmark's rules tell (see strongDelimiter). A pair may hold links; a
// link's text holds no "**".
func plainLine(l []byte, whole bool) bool {
	if l[len(l)-1] == ' ' {
		return false // a hard line break, or space goldmark trims
	}
	open := false
	for j := 0; j < len(l); j++ {
		// Most bytes are text: eight at a time.
		for j+8 <= len(l) && inlineByte[l[j]]|inlineByte[l[j+1]]|inlineByte[l[j+2]]|inlineByte[l[j+3]]|
			inlineByte[l[j+4]]|inlineByte[l[j+5]]|inlineByte[l[j+6]]|inlineByte[l[j+7]] == 0 {
			j += 8
		}
		if j == len(l) {
			break
		}
		c := l[j]
		if !inline[c] {
			continue
		}
		switch {
		case c == ':' && !bytes.HasPrefix(l[j+1:], []byte("//")):
			continue
		case c == '[' && whole:
			_, _, n := inlineLink(l[j:])
			if n == 0 {
				return false
			}
			j += n - 1
			continue
		case c != '*' || j+1 == len(l) || l[j+1] != '*' || j+2 < len(l) && l[j+2] == '*':
			return false
		case whole:
			if !strongDelimiter(l, j, open) {
				return false
			}
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

// strongDelimiter reports whether the "**" at l[j], in a whole line (see
// plainLine), can only close emphasis when closing is set, or only open
// it otherwise, by the rules of goldmark's ScanDelimiter: the characters
// before and after it, white space at the line's ends, are punctuation,
// white space or other.
func strongDelimiter(l []byte, j int, closing bool) bool {
	before, after := '\n', ' '
	if j > 0 {
		before, _ = utf8.DecodeLastRune(l[:j])
	}
	if j+2 < len(l) {
		after, _ = utf8.DecodeRune(l[j+2:])
	}
	if before == utf8.RuneError || after == utf8.RuneError {
		return false
	}
	beforePunct, beforeSpace := util.IsPunctRune(before), util.IsSpaceRune(before)
	afterPunct, afterSpace := util.IsPunctRune(after), util.IsSpaceRune(after)
	left := !afterSpace && (!afterPunct || beforeSpace || beforePunct)
	right := !beforeSpace && (!beforePunct || afterSpace || afterPunct)
	if closing {
		return right && !left
	}
	return left && !right
}

// maxLinkText is the longest link text, in bytes, written here; goldmark
// takes a label of more than 999 bytes for text.
const maxLinkText = 500

// destByte marks the bytes a link's destination may hold here: not the
// spaces and control characters that end it, nor what goldmark reads
// further (the '<' of "<dest>", quotes of a title, nested parentheses,
// backslash escapes, entity references), nor brackets or '`'.
var destByte = func() (t [256]bool) {
	for c := 0x21; c < 0x100; c++ {
		t[c] = true
	}
	for _, c := range []byte("<>\"'()\\&[]`\x7f") {
		t[c] = false
	}
	return
}()

// inlineLink returns the text and destination of the link "[text](dest)"
// that l starts with, and its length in bytes; n is 0 when l does not
// start with one written here: text of at most maxLinkText bytes holding
// none of inline's bytes (no markup, no ':'), not starting or ending with
// a space, then "(", a destination of destByte bytes, ")". No title, no
// "<dest>", no spaces around the destination, no reference.
func inlineLink(l []byte) (text, dest []byte, n int) {
	k := bytes.IndexByte(l, ']')
	if k < 2 || k > maxLinkText+1 || k+2 >= len(l) || l[k+1] != '(' {
		return nil, nil, 0
	}
	text = l[1:k]
	if text[0] == ' ' || text[len(text)-1] == ' ' {
		return nil, nil, 0
	}
	for _, c := range text {
		if inline[c] {
			return nil, nil, 0
		}
	}
	i := k + 2
	for i < len(l) && destByte[l[i]] {
		i++
	}
	if i == k+2 || i == len(l) || l[i] != ')' {
		return nil, nil, 0
	}
	return text, l[k+2 : i], i + 1
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
	if l[0] == '*' {
		// "**" and a character that makes it neither a list item ("* ")
		// nor a thematic break ("***", "** *").
		return len(l) > 2 && l[1] == '*' && l[2] != '*' && l[2] != ' ' && l[2] != '\t'
	}
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
	w := inlineWriter{r: r}
	out := make([]byte, 0, len(src)+len(src)/8+16)
	var headingIDs *ids
	for i := 0; i < len(ps); i++ {
		p := ps[i]
		if p.plain {
			text := src[p.start:p.end]
			// Written as it is checked; a link goldmark would write
			// otherwise (see appendLine) takes the piece back.
			mark, links := len(out), len(w.links)
			ok := true
			switch p.kind {
			case paraPiece:
				out = append(out, "<p>"...)
				line := p.line
				for l := range bytes.SplitSeq(text, []byte("\n")) {
					if line > p.line {
						out = append(out, '\n')
					}
					if out, ok = w.appendLine(out, l, line, 0); !ok {
						break
					}
					line++
				}
				out = append(out, "</p>\n"...)
				if ok && withSummary && res.Summary == "" {
					words := strings.Fields(string(plainText(nil, text)))
					res.Summary = Truncate(strings.Join(words, " "), SummaryLength)
				}
			case headingPiece:
				level, text := atxHeading(text)
				// The text first: its ID is taken only when it is
				// written here.
				w.buf, ok = w.appendLine(w.buf[:0], text, p.line, level+1)
				if !ok {
					break
				}
				if headingIDs == nil {
					headingIDs = newIDs()
				}
				h := byte('0' + level)
				out = append(out, '<', 'h', h)
				out = append(out, ` id="`...)
				out = append(out, headingIDs.Generate(text, ast.KindHeading)...)
				out = append(out, '"', '>')
				out = append(out, w.buf...)
				out = append(out, '<', '/', 'h', h, '>', '\n')
			case tablePiece:
				out, ok = appendTable(out, text)
			case listPiece:
				out = append(out, "<ul>\n"...)
				line := p.line
				for l := range bytes.SplitSeq(text, []byte("\n")) {
					out = append(out, "<li>"...)
					if out, ok = w.appendLine(out, l[2:], line, 2); !ok {
						break
					}
					out = append(out, "</li>\n"...)
					line++
				}
				out = append(out, "</ul>\n"...)
			}
			if !ok {
				out, w.links = out[:mark], w.links[:links]
				ps[i].plain = false
				i-- // for goldmark, below
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
			w.links = append(w.links, l)
		}
		if res.Summary == "" {
			res.Summary = one.Summary
		}
	}
	res.HTML, res.Links = out, w.links
	return res, true, nil
}

// inlineWriter writes the lines of plain pieces, and gathers their links
// as the transformer does.
type inlineWriter struct {
	r     Resolver
	links []Link
	buf   []byte // a heading's text
}

// appendLine appends the HTML of l, a line as plainLine(l, true) says,
// which starts col0 characters into line line of the document. ok is
// false, and out and w.links are to be cut back, when a link's address
// is one goldmark's renderer would not write as it is (see
// html.IsDangerousURL): only a Resolver could give one.
func (w *inlineWriter) appendLine(out, l []byte, line, col0 int) (_ []byte, ok bool) {
	open := false
	for rest := l; ; {
		i := bytes.IndexByte(rest, '[')
		if i < 0 {
			return appendPlain(out, rest, &open), true
		}
		out = appendPlain(out, rest[:i], &open)
		text, dest, n := inlineLink(rest[i:])
		if n == 0 {
			return out, false // not plain: cannot happen
		}
		// The "['s column is counted only for a link that is reported.
		at := len(l) - len(rest) + i
		// As transformer does.
		href := util.URLEscape(dest, true)
		if !safeurl.Link(string(href)) {
			w.links = append(w.links, Link{Dest: string(dest), Line: line, Col: col0 + utf8.RuneCount(l[:at]) + 1, Removed: true})
			out = appendPlain(out, text, &open)
		} else {
			if d := string(dest); relative(d) {
				link := Link{Dest: d, Line: line, Col: col0 + utf8.RuneCount(l[:at]) + 1}
				if w.r != nil {
					if u, ok := w.r.Resolve(d); ok {
						link.Resolved = true
						href = util.URLEscape([]byte(u), true)
					}
				}
				w.links = append(w.links, link)
			}
			// As goldmark's renderer does.
			if html.IsDangerousURL(href) {
				return out, false
			}
			out = append(out, `<a href="`...)
			out = append(out, util.EscapeHTML(href)...)
			out = append(out, '"', '>')
			out = appendPlain(out, text, &open)
			out = append(out, "</a>"...)
		}
		rest = rest[i+n:]
	}
}

// plainText appends the text of a plain piece as a reader sees it: without
// "**" and links' markup.
func plainText(dst, text []byte) []byte {
	for {
		i := bytes.IndexAny(text, "*[")
		if i < 0 {
			return append(dst, text...)
		}
		dst = append(dst, text[:i]...)
		if text[i] == '*' {
			text = text[i+2:]
			continue
		}
		t, _, n := inlineLink(text[i:])
		dst = append(dst, t...)
		text = text[i+n:]
	}
}

// appendPlain appends the HTML of a plain paragraph's text. open is
// whether a "**" is open.
func appendPlain(out, text []byte, open *bool) []byte {
	// Two IndexByte, which are vectorised, rather than one IndexAny,
	// which looks at every byte in turn.
	q, s := bytes.IndexByte(text, '"'), bytes.IndexByte(text, '*')
	for q >= 0 || s >= 0 {
		if s < 0 || q >= 0 && q < s {
			out = append(out, text[:q]...)
			out = append(out, "&quot;"...)
			text = text[q+1:]
			if s >= 0 {
				s -= q + 1
			}
			q = bytes.IndexByte(text, '"')
			continue
		}
		out = append(out, text[:s]...)
		if *open {
			out = append(out, "</strong>"...)
		} else {
			out = append(out, "<strong>"...)
		}
		*open = !*open
		text = text[s+2:] // "**"
		if q >= 0 {
			q -= s + 2
		}
		s = bytes.IndexByte(text, '*')
	}
	return append(out, text...)
}
