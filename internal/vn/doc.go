// Package vn holds congxa's Vietnamese rules for text, dates and numbers.
// This comment is their specification; the tests check it.
//
// Every function here is deterministic: its result depends only on its
// arguments, never on the machine's locale or time zone, so that two
// builds of the same site give the same files everywhere. The one outside
// input is the tz database: it is compiled in, so that every machine has
// one, but Go prefers the system's copy where there is one, which can only
// differ for zones whose rules changed between the two releases.
//
// # Text
//
// Vietnamese text reaches congxa in two Unicode forms: precomposed (NFC,
// "ệ" as one code point, what most keyboards produce) and decomposed (NFD,
// "e" + circumflex + dot below, what macOS file names and some converters
// produce). The two look identical but compare unequal, so every rule below
// first brings its input to NFC.
//
// NFC returns its input in NFC, unchanged (not copied) when it already is.
//
// Fold is the key for search and comparison: it lower-cases its input and
// removes every diacritic from Latin letters, so that a reader typing
// without accents finds the accented text:
//
//   - the Vietnamese tone marks (sắc, huyền, hỏi, ngã, nặng) and vowel marks
//     (ă â ê ô ơ ư) go: "Đảng ủy xã Đồng Tâm" folds to "dang uy xa dong tam";
//   - đ and Đ become d, and so do ð and Ð, because Ð (U+00D0, Icelandic eth)
//     is indistinguishable from Đ and often stands for it in text converted
//     from old Vietnamese encodings;
//   - other Latin letters that carry a diacritic fold to their base letter
//     too (é ü ñ ç → e u n c), and so do the letters with a stroke or bar
//     (ø ł ħ ŧ ƀ ƶ ǥ ɇ ɉ ɍ ɏ) and dotless ı;
//   - a combining mark from the script-neutral Combining Diacritical Marks
//     blocks (U+0300–U+036F, U+1AB0–U+1AFF, U+1DC0–U+1DFF, U+20D0–U+20FF,
//     U+FE20–U+FE2F) that is left over after composition is dropped,
//     whatever letter it sits on ("я́" → "я");
//   - everything else is kept as it is, lower-cased by simple Unicode case
//     mapping: digits, punctuation, spaces, Latin letters without a
//     diacritic (ß, æ), and non-Latin letters, including their own
//     script-specific marks (Thai tone marks, Devanagari vowel signs), which
//     are part of the spelling rather than decoration;
//   - invalid UTF-8 bytes become U+FFFD, as in strings.ToLower.
//
// Fold is idempotent, its result never holds one of the dropped marks, and
// it is NFC when the input is valid UTF-8.
//
// Slug makes the last segment of a page's address. It folds its input as
// Fold does, writes ß, æ, œ, þ and ĳ as ss, ae, oe, th and ij, and then turns
// every run of other characters than a–z and 0–9 into a single hyphen, with
// none at either end. Letters without an ASCII form (Cyrillic, Han, …) are
// thus dropped like punctuation. The result only contains [a-z0-9-], is the
// same for the NFC and NFD forms of a text, and is its own slug. It is ""
// when nothing is left; the caller reports that, since only it knows where
// the text came from.
//
//	Slug("Xã Bắc An: Xếp thứ 5 toàn thành phố") == "xa-bac-an-xep-thu-5-toan-thanh-pho"
//
// # Dates
//
// LoadLocation finds an IANA time zone; "" means Asia/Ho_Chi_Minh, the zone
// of every commune. The tz database is compiled into the program (package
// time/tzdata), so a machine without one still builds. "Local" is refused,
// because the machine's zone would make the output depend on where the
// site is built.
//
// ParseDate reads a date written by a person or exported by the commune's
// previous portal. Surrounding white space, no-break spaces included, is
// ignored. It accepts:
//
//	2022-03-28T08:53:45+07:00    RFC 3339, with "Z" or ±hh:mm
//	2022-03-28T01:53:45.5Z       (seconds may have a fraction, 1–9 digits)
//	2022-03-28T08:53:45          no offset: wall time in loc ("T" or spaces
//	2022-03-28 08:53:45          between date and time)
//	2022-03-28 08:53
//	2022-03-28                   midnight in loc
//	28/03/2022 08:53:45          Vietnamese order, in loc; day, month and
//	5/3/2022 8:05                hour may have one digit, minutes and
//	28/03/2022                   seconds have two, the year four
//
// An impossible date or time (31/02/2024, 29/02/2023, 25:00, month 13,
// second 60) is an error rather than being carried into the next month as
// time.Date would, because it is a typing mistake that the author must see.
// So is a wall time that the clocks of loc skipped; a wall time that
// happened twice is taken at its first occurrence. The result is always
// expressed in loc, even when the text gave an offset, and must fall in
// the years 0000–9999 there, so that FormatDateTime can write it. A nil
// loc means Asia/Ho_Chi_Minh. Error messages are short English sentences that read
// well after "path:line:col: ", and quote the text (cut when long):
//
//	invalid date "31/02/2024": day out of range
//
// FormatDateTime writes "28/03/2022 08:53:45" and FormatDate "28/03/2022",
// both as the wall clock of loc shows the instant, whatever the machine's
// zone. ParseDate reads both back.
//
// # Numbers
//
// A NumberFormat says how counts and rates are shown:
//
//	NumberSeed  1035  292,959  1,234,567  99.9%   like the commune's current
//	                                              portal: "," groups thousands,
//	                                              only from 5 digits on
//	NumberVI    1.035 292.959  1.234.567  99,9%   Vietnamese convention: "."
//	                                              groups thousands from 4 digits
//
// A rate is carried as an integer number of tenths of a percent, so that
// its rounding is exact and the same on every machine. RateTenths computes
// it from two counts with integer arithmetic, rounding halves away from
// zero (0.05% → 0.1%), and Percent always shows its one decimal (0.0%,
// 100.0%).
package vn
