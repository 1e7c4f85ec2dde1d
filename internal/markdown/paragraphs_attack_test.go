package markdown

import "strings"

// attackCases are documents written to break convertParagraphs: Unicode
// punctuation and spaces around "**", links next to bold, destinations of
// every kind, lines starting with "[" or "**", line ends and long text.
// They join paragraphCases, so TestParagraphsSameAsGoldmark checks them and
// FuzzParagraphsSameAsGoldmark starts from them.
var attackCases = []string{
	"x\u00a0**a**\u00a0y", "x **a**\u3000y", "x\u3000**a** y", "x **\u3000a** y", "x **a\u3000** y", "x **a\u00a0**b",
	"x “**a**” y", "x **“a**” y", "x «**a**» y", "x **«a»** y", "x …**a**… y", "x **…a…** y", "x —**a**— y", "x **—a—** y",
	"x **a\u0301** y", "x **\u0301a** y", "x a\u0301**b** y", "x **a**\u0301 y", "x **😀** y", "x 😀**a**😀 y", "x **a😀** y",
	"x **a\xff** y", "x \xff**a** y", "x **a**\xff y", "x **\xe1\xbb** y", "x **a\xe1\xbb**", "\xff**a** b", "**a**\xff",
	"x **a**\u2028y", "x **a**\u200b y", "x\u200b**a** y", "x **a\u200b** y", "x **\u2019a\u2019** y", "x \u2019**a**\u2019 y",
	"x **a**\u00ad y", "x **a**\u2060 y", "x **a**\ufeff y", "x **a**\u0085 y", "x **a**\u205f y", "x **a**\u1680y", "x **a**\u2000y",
	"x **a**\u00a7 y", "x **a**\u00b6 y", "x **a**$ y", "x **a**+ y", "x $**a**$ y", "x +**a**+ y", "x ^**a**^ y", "x =**a**= y", "x **=a=** y",
	"x **a**\u02c6 y", "x **a**\u00b4 y", "x **a**\u2044 y", "x **a**\u20ac y", "x €**a**€ y", "x **€a€** y", "x **a**° y",
	"**[a](b)**", "[a](b)**c**", "**c**[a](b)", "[a](b) **c**", "**c** [a](b)", "**a [b](c) d**", "x **[a](b)**c", "x c**[a](b)**",
	"x **a**[b](c)", "x [b](c)**a** y", "x **[a](b) [c](d)** e", "x [a](b)**[c](d)** e", "x **a[b](c)**", "x **[a](b)c**",
	"[a](%E1%BA%A3nh.jpg)", "[a](%) [b](%%) [c](%2) [d](%G1)", "[a](ảnh.jpg)", "[a](ảnh\u00a0x.jpg)", "[a](b\u3000c.md)", "[a](b\xffc.md)",
	"[a](#frag) [b](?q=1) [c](b.md?q=1#f) [d](b.md#f?q)", "[a](mailto:x@y.vn) [b](MAILTO:x@y.vn) [c](tel:0912) [d](TEL:0912)",
	"[a](JavaScript:x) [b](jAvAsCrIpT:x) [c](JAVASCRIPT:x) [d](javascript%3Ax) [e](java\u00adscript:x) [f](java%0ascript:x)",
	"[a](//host) [b](//host/x) [c](///x) [d](/\\x) [e](//) [f](/) [g](./) [h](../x.md) [i](.) [j](..)",
	"[a](data:x) [b](DATA:image/png;base64,AA) [c](data:image/svg+xml,x) [d](vbscript:x) [e](VBScript:x) [f](file:x)",
	"[a](https:x) [b](http:/x) [c](HTTP://X) [d](ftp://x) [e](irc://x) [f](x:y) [g](x:) [h](:x) [i](a/b:c)",
	"[a](b.md)\n[c](d.md)", "x\n[c](d.md) y", "x\n**c** y", "**c** y\n**d** z", "[x] y", "[x](y)", "- a\n\n[x] b", "- a\n\n[x](y.md) b",
	"- a\n[x] b", "- a\n\n**b** c", "# [a](b) c\n\nd", "# a [b](c)\n\n## [d](e) [f](g)", "- [a](b)\n- c [d](e)", "- c [d](e)\n- f",
	"- **a** [b](c)\n- d", "x [a &amp; b](c)", "x [a&b](c)", "x [www.x.vn](c)", "x [https://x.vn](c)", "x [x.vn/a](c)", "x [a:b](c)",
	"x [a](b)  \ny", "x [a](b)\\\ny", "x **a**  \ny", "x **a** \ny", "x\t[a](b)", "[a](b)\tx", "x [a](b)\r\ny", "x **a**\r\n\r\ny", "x\r\n[a](b)",
	"x [a](b\"c) y", "x [a](b'c) y", "x [a](b<c) y", "x [a](b>c) y", "x [a](b{c}) y", "x [a](b|c) y", "x [a](b^c) y", "x [a](b`c) y",
	"x [\"a\"](b) y", "x ['a'](b) y", "x [(a)](b) y", "x [a)](b) y", "x [a(](b) y", "x [ả](b) y", "x [\u00a0a](b) y", "x [a\u00a0](b) y",
	"x [a](b)]", "x [a](b))", "x [a](b)(c)", "x [a](b)[c]", "x [a](b)[c](d)", "x ][a](b)", "x )[a](b)", "x ([a](b)) y",
	"x **a** [b](c) **d** [e](f) **g**", "**a**\n[b](c)\n**d**", "x [a](" + strings.Repeat("b", 2000) + ")",
	"x [" + strings.Repeat("ả", 250) + "](b)", "x [" + strings.Repeat("ả", 167) + "](b)", "x [" + strings.Repeat("a", 500) + "](b)",
	"x [" + strings.Repeat("a", 501) + "](b)", "x [" + strings.Repeat("a ", 499) + "a](b)", strings.Repeat("**a** [b](c) ", 90) + "z",
	strings.Repeat("Đoạn văn dài [liên kết](a.md) và **đậm** nhé. ", 25) + "\n\n" + strings.Repeat("x ", 500) + "y",
	"## a\n[b](c)", "## a\n**b** c", "## [a](b)\n\n## [a](b)\n\n## a](b)", "## **a**\n\n## a", "# a\n\n# a-1\n\n# a",
	"x [a](b) y\n\n| a |\n|---|\n| b |", "Đoạn\n\n- a [b](javascript:x)\n- c", "x [a](vb.md) [b](jb.md) [c](xb.md)",
}

func init() {
	paragraphCases = append(paragraphCases, attackCases...)
}
