// Package search builds the site's search index: static files that the
// search page's script (assets/js/search.js) fetches, so that a site on any
// static web server can be searched without a server of its own.
//
// # Matching
//
// Text is split into words: runs of letters, digits and combining marks.
// A word is filed under its key, vn.Fold of it ("Đảng" → "dang"), and
// remembers each form it was written in, in lower case ("đảng", "dang").
// A query matches a page that has every word of the query, compared by
// key, so that case and every diacritic, đ/Đ included, are ignored:
// "dang uy" and "ĐẢNG ỦY" both find "Đảng ủy". Words in quotes
// ("cải cách hành chính") must also stand next to each other in that order;
// the index holds every pair of neighbouring words for that. The last word
// of a query, unless it is quoted or followed by a space, also matches the
// words it begins ("hanh ch" finds "hành chính"), so that results come
// while one types. A category narrows the results to its posts.
//
// # Ranking
//
// Results are ordered by, in turn:
//
//  1. how many of the query's words (or quoted phrases) typed with
//     diacritics the page has exactly as typed, case aside: for "Đảng ủy",
//     a page with "Đảng ủy" comes before a page with "đang ủy" (a word
//     typed without any diacritic matches all its forms alike);
//  2. a score: the sum, over the query's words, of the word's rarity
//     across the site (idf) times its weight in the page, which is much
//     higher when the word is in the title, higher when in a tag or the
//     category, and grows slowly with how often the body has it (a
//     form of a word, or a pair, that is on most pages, as dense lists
//     below, counts once in a body however often it is there: such a
//     word says little of a page, and its counts would cost most of what
//     a query fetches);
//  3. date, newest first (standalone pages after posts).
//
// The scores are integers, computed alike by Search here and by the
// script, which the browser test checks.
//
// # Files
//
// Every file is JSON compressed with gzip by the build, with the name
// ending ".json.gz", so that its transfer is small whatever the web server's
// compression settings; the script decompresses it with an inflater of its
// own, at once, rather than through DecompressionStream, whose steps
// each wait for a turn of a busy page (and accepts it already
// decompressed by a server that sent Content-Encoding: gzip). Under
// Dir:
//
//	<hash>.json.gz      the entry file, named by its content, which the
//	                    search page names: the number of pages and of pair
//	                    buckets, MetaChunk, the categories, the name of
//	                    the file of the pages' categories, the keys of
//	                    one or two bytes (so that the first letters of a
//	                    word being typed that are no word fetch nothing),
//	                    and the first key and file of every word shard
//	<hash>.json.gz      the pages' categories, named by its content:
//	                    [n, …], each page's category by its number in the
//	                    filter (from 1; 0 for none), which only a query
//	                    with a category fetches (5 KB of 11 in the entry
//	                    of the 10,000-post bench corpus)
//	<hash>.json.gz      a word shard, named by its content: for a range of
//	                    keys, each key's forms, each with its postings:
//	                    {"key": {"form": "…"}}
//	b/<n>.json.gz       pair bucket n: the same for pairs of neighbouring
//	                    words, {"dang uy": {"đảng ủy": "…"}}; a pair is in
//	                    bucket FNV-1a(key) mod the number of buckets (a
//	                    power of two, about PairBucketBytes each), as
//	                    phrases need no prefix matching
//	m/<n>.json.gz       meta file n: for pages n×MetaChunk on,
//	                    [url, title, date, category number] each, what a
//	                    result shows at once
//
// The script asks for the numbered files with the entry's hash as a query
// (?v=…), so that a browser never mixes files of two builds. A rebuild
// writes again only the files whose bytes changed.
//
// A form's postings are a string of characters from digits, one posting
// after another: the page's number minus the previous posting's (the
// first counts from -1) in base 32, lowest digit first, every digit but
// the last with 32 added; then the flags, one digit: how often the body
// has the word (at most 15), 16 when the title has it, 32 when a tag or
// the category has it. A dense list, one of at least DenseMin postings
// on more than half of the pages up to its last, is written instead as
// "~", the number of pages up to its last (the page's number plus one),
// the pages without it (each as a distance, like a posting without
// flags), "~", and the postings of the pages that have it in the title,
// a tag or the category, with the body's count as 1 or 0; the other
// pages have it once in the body. On the 10,000-post bench corpus, where
// most words are on most pages, this made the index 5.3 MB instead of
// 7.2, and the word shards that a nine-word query fetches less than half
// of what they were.
//
// Pages are numbered standalone pages first, then posts from the oldest,
// so that a new post adds a number and leaves the others' files alone.
// A query fetches the entry file once, one shard per word (at most
// MaxPrefixShards for the last, when it is matched as a prefix), one
// bucket per pair of a quoted phrase, the file of the pages' categories
// once a category is chosen, and the meta files of the results it shows.
// A result list needs up to ten meta files, scattered, and on a busy
// machine each request costs more than its bytes; so while the files of
// the last word being typed are on their way, the script ranks the pages
// by the other words, whose files are in, and fetches the meta files of
// the first ten, for a query of up to GuessItems words: on the
// 10,000-post bench corpus, four or five of the ten results of such a
// query are among them (Searcher does the same, so that the tests count
// those bytes).
// The snippet of a result (the text around the match) comes from
// the result's own page, which the script fetches once typing pauses,
// for the results on the screen or near it (the others when scrolled
// to); the browser then has the page when the visitor opens it.
//
// Word shards are cut where a key's hash says so once they have at least
// MinShardBytes (or before they would pass MaxShardBytes), so that a
// change to a few keys moves few boundaries.
//
// # Building
//
// Words are numbered once, (key, form) by (key, form), and pairs of
// neighbouring words once, as the pages are read in parallel (a worker's
// memos map a word as written, and a pair, to its number without
// locking, in tables small enough to stay in its core's cache); a page is
// its word numbers and pairs, each once, with their flags, found without
// sorting or maps. Pages given to a Builder one at a time are read in
// batches of a few dozen, one after the other on one worker, so that its
// tables are still in the cache from the page before rather than evicted
// by the rendering of the page in between.
//
// Without a Cache, each worker files each page's postings in its own
// lists as it reads it, a list a word and a pair, each posting a varint
// of a byte or two (see postings.go) in blocks of an arena with no
// pointers; the lists of the workers are read back, sorted and merged as
// the files are written, in parallel: no page's lists are kept. A Cache
// keeps each page's lists instead, encoded in a few bytes each: postings
// are counted, then appended in page order into one array for the words
// and one for each of a few parts of the pairs (by their numbers' hash),
// so that they come out sorted; when a few pages changed, their postings
// are updated in place from the difference of the old and new lists, and
// only the files holding a key whose postings changed are made and
// compressed again.
package search
