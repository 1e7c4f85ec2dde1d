// congxa search: answers queries on the search page from the index files
// that the build writes beside it (see package internal/search, whose
// Searcher states the same rules in Go). No server, no dependency.
(function () {
  'use strict';

  var MAX_ITEMS = 8, MAX_PREFIX_SHARDS = 2, MIN_PREFIX = 3, MAX_WORD_BYTES = 64, PER_PAGE = 10;
  // The first results are guessed (see search) for queries of up to this
  // many words: in longer ones, the words before the last have narrowed
  // the results to those shown while typing, and each guess costs bytes.
  var GUESS_ITEMS = 4;
  // Snippets come from the results' own pages, fetched once typing has
  // paused this long (at once on Enter, on a link's query, on "more").
  var SNIPPET_PAUSE = 300;

  // Folding, as vn.Fold: lower case, and every Latin letter without its
  // diacritics; đ and the barred letters by the table below.
  var BARRED = { 'đ': 'd', 'Đ': 'd', 'ð': 'd', 'Ð': 'd', 'ø': 'o', 'Ø': 'o', 'ł': 'l', 'Ł': 'l', 'ħ': 'h', 'Ħ': 'h',
    'ŧ': 't', 'Ŧ': 't', 'ı': 'i', 'ƀ': 'b', 'Ƀ': 'b', 'ƶ': 'z', 'Ƶ': 'z', 'ǥ': 'g', 'Ǥ': 'g', 'ɇ': 'e', 'Ɇ': 'e',
    'ɉ': 'j', 'Ɉ': 'j', 'ɍ': 'r', 'Ɍ': 'r', 'ɏ': 'y', 'Ɏ': 'y' };
  var WORD = /[\p{L}\p{N}\p{M}]+/gu;

  function latin(ch) {
    var c = ch.codePointAt(0);
    if (!(c >= 0xc0 && c < 0x250 || c >= 0x1e00 && c < 0x1f00)) return '';
    if (BARRED[ch]) return BARRED[ch];
    var d = ch.normalize('NFD');
    return d.length > 1 && /[A-Za-z]/.test(d[0]) ? d[0].toLowerCase() : '';
  }
  function droppedMark(c) {
    return c >= 0x300 && c <= 0x36f || c >= 0x1ab0 && c <= 0x1aff || c >= 0x1dc0 && c <= 0x1dff ||
      c >= 0x20d0 && c <= 0x20ff || c >= 0xfe20 && c <= 0xfe2f;
  }
  function fold(s) {
    var out = '';
    for (var ch of s.normalize('NFC')) {
      var c = ch.codePointAt(0);
      if (c < 0x80) { out += ch.toLowerCase(); continue; }
      var a = latin(ch);
      if (a) { out += a; continue; }
      if (droppedMark(c)) continue;
      var l = ch.toLowerCase();
      out += (l !== ch && latin(l)) || l;
    }
    return out.normalize('NFC');
  }
  function utf8len(s) { return new TextEncoder().encode(s).length; }
  // fnv32 is FNV-1a of s's UTF-8, as the build hashes a pair's key to
  // find its bucket.
  function fnv32(s) {
    var h = 0x811c9dc5;
    for (var b of new TextEncoder().encode(s)) h = Math.imul(h ^ b, 16777619);
    return h >>> 0;
  }

  // words splits s as the index does: {key, form} for each run of
  // letters, digits and marks.
  function words(s) {
    var out = [];
    for (var raw of s.normalize('NFC').match(WORD) || []) {
      var key = fold(raw);
      if (key && utf8len(key) <= MAX_WORD_BYTES) out.push({ key: key, form: raw.toLowerCase() });
    }
    return out;
  }

  // parse splits a query into words and quoted phrases; the last word,
  // while it is being typed, is a prefix.
  function parse(q) {
    q = q.normalize('NFC');
    var items = [], seen = new Set();
    function add(it) {
      var k = JSON.stringify(it);
      if (seen.has(k)) return;
      if (items.length >= MAX_ITEMS) { items.cut = true; return; } // said in the status
      seen.add(k);
      items.push(it);
    }
    var segs = q.split('"');
    segs.forEach(function (seg, n) {
      var ws = words(seg);
      if (n % 2 === 1 && ws.length > 1) {
        var it = { keys: [], forms: [], prefix: false };
        for (var i = 1; i < ws.length; i++) {
          it.keys.push(ws[i - 1].key + ' ' + ws[i].key);
          it.forms.push(ws[i - 1].form + ' ' + ws[i].form);
        }
        add(it);
        return;
      }
      ws.forEach(function (w, i) {
        var prefix = n % 2 === 0 && n === segs.length - 1 && i === ws.length - 1 && utf8len(w.key) >= MIN_PREFIX &&
          /[\p{L}\p{N}\p{M}]$/u.test(q);
        add({ keys: [w.key], forms: [w.form], prefix: prefix });
      });
    });
    return items;
  }

  // cmp compares strings by code point, as Go compares the index's keys.
  function cmp(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i), y = b.charCodeAt(i);
      if (x === y) continue;
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
    return a.length - b.length;
  }

  // Inflating, as RFC 1951 says: the base and the number of extra bits
  // of each length code (from 257) and distance code, and the order in
  // which a dynamic block gives the lengths of the code-length code.
  var LBASE = [], LEXTRA = [], DBASE = [], DEXTRA = [], ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
  for (var i = 0, lb = 3, db = 1; i < 30; i++) {
    LEXTRA[i] = i < 8 ? 0 : (i >> 2) - 1;
    LBASE[i] = lb;
    lb += 1 << LEXTRA[i];
    DEXTRA[i] = i < 4 ? 0 : (i >> 1) - 1;
    DBASE[i] = db;
    db += 1 << DEXTRA[i];
  }
  LBASE[28] = 258;
  LEXTRA[28] = 0;

  // huffman makes a canonical Huffman code from the lengths of its
  // symbols' codes: how many codes of each length, and the symbols in
  // the order of their codes.
  function huffman(lengths) {
    var count = new Uint16Array(16), offs = new Uint16Array(16), symbol = new Uint16Array(lengths.length);
    for (var s = 0; s < lengths.length; s++) count[lengths[s]]++;
    count[0] = 0;
    for (var l = 1; l < 16; l++) offs[l] = offs[l - 1] + count[l - 1];
    for (s = 0; s < lengths.length; s++) if (lengths[s]) symbol[offs[lengths[s]]++] = s;
    return { count: count, symbol: symbol };
  }
  var FIXED_LIT, FIXED_DIST;

  // gunzip returns the bytes that a gzip file b holds (RFC 1952). It
  // works at once, without the streams of DecompressionStream, whose
  // steps each wait for a turn of a busy page: an index file is a few
  // kilobytes.
  function gunzip(b) {
    var n = b.length;
    if (n < 18 || b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 8) throw new Error('not gzip');
    var flags = b[3], p = 10;
    if (flags & 4) p += 2 + (b[p] | b[p + 1] << 8); // extra field
    if (flags & 8) while (b[p++]); // file name
    if (flags & 16) while (b[p++]); // comment
    if (flags & 2) p += 2; // header CRC
    var out = new Uint8Array((b[n - 4] | b[n - 3] << 8 | b[n - 2] << 16 | b[n - 1] << 24) >>> 0), o = 0;
    var buf = 0, have = 0;
    function bits(k) {
      while (have < k) {
        if (p >= n) throw new Error('gzip: cut short');
        buf |= b[p++] << have;
        have += 8;
      }
      var v = buf & ((1 << k) - 1);
      buf >>>= k;
      have -= k;
      return v;
    }
    // decode reads a symbol, a bit at a time, the code's first bit first.
    function decode(h) {
      for (var len = 1, code = 0, first = 0, index = 0; len < 16; len++) {
        code |= bits(1);
        var c = h.count[len];
        if (code - first < c) return h.symbol[index + code - first];
        index += c;
        first = (first + c) << 1;
        code <<= 1;
      }
      throw new Error('gzip: bad code');
    }
    var last, lit, dist;
    do {
      last = bits(1);
      var type = bits(2);
      if (type === 0) { // stored
        buf = have = 0;
        var len = b[p] | b[p + 1] << 8;
        p += 4;
        if (p + len > n || o + len > out.length) throw new Error('gzip: bad block');
        out.set(b.subarray(p, p + len), o);
        p += len;
        o += len;
        continue;
      }
      if (type === 1) {
        if (!FIXED_LIT) {
          var fl = [];
          for (var s = 0; s < 288; s++) fl[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
          FIXED_LIT = huffman(fl);
          FIXED_DIST = huffman(new Array(30).fill(5));
        }
        lit = FIXED_LIT;
        dist = FIXED_DIST;
      } else if (type === 2) {
        var nlit = bits(5) + 257, ndist = bits(5) + 1, ncode = bits(4) + 4, lengths = new Array(19).fill(0);
        for (s = 0; s < ncode; s++) lengths[ORDER[s]] = bits(3);
        var lencode = huffman(lengths), ls = [];
        while (ls.length < nlit + ndist) {
          var sym = decode(lencode);
          if (sym < 16) { ls.push(sym); continue; }
          var rep = sym === 16 ? 3 + bits(2) : sym === 17 ? 3 + bits(3) : 11 + bits(7);
          var v = sym === 16 ? ls[ls.length - 1] : 0;
          if (v === undefined) throw new Error('gzip: bad lengths');
          while (rep--) ls.push(v);
        }
        lit = huffman(ls.slice(0, nlit));
        dist = huffman(ls.slice(nlit, nlit + ndist));
      } else throw new Error('gzip: bad block');
      for (;;) {
        sym = decode(lit);
        if (sym < 256) {
          if (o >= out.length) throw new Error('gzip: too long');
          out[o++] = sym;
          continue;
        }
        if (sym === 256) break;
        sym -= 257;
        if (sym >= 29) throw new Error('gzip: bad length');
        len = LBASE[sym] + bits(LEXTRA[sym]);
        var d = decode(dist);
        if (d >= 30) throw new Error('gzip: bad distance');
        var from = o - DBASE[d] - bits(DEXTRA[d]);
        if (from < 0 || o + len > out.length) throw new Error('gzip: bad match');
        while (len--) out[o++] = out[from++];
      }
    } while (!last);
    if (o !== out.length) throw new Error('gzip: wrong size');
    return out;
  }

  // load fetches an index file: gzip, unless the server already undid it.
  // files holds the fetches, got what came of them.
  var files = new Map(), got = new Map();
  function load(url) {
    if (!files.has(url)) {
      files.set(url, fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ': ' + r.status);
        return r.arrayBuffer();
      }).then(function (buf) {
        var b = new Uint8Array(buf);
        return new TextDecoder().decode(b[0] === 0x1f && b[1] === 0x8b ? gunzip(b) : b);
      }).then(function (text) {
        var v = JSON.parse(text);
        got.set(url, v);
        return v;
      }).catch(function (e) {
        files.delete(url);
        throw e;
      }));
    }
    return files.get(url);
  }
  function isIn(url) { return got.has(url); }

  // DIGIT maps the characters of postings to their values.
  var DIGIT = new Uint8Array(128);
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_'.split('').forEach(function (c, i) { DIGIT[c.charCodeAt(0)] = i; });

  function ilog(x) {
    var l = 32 - Math.clz32(x);
    var frac = l >= 3 ? (x >> (l - 3)) & 3 : (x << (3 - l)) & 3;
    return 4 * (l - 1) + frac;
  }
  function idf(docs, df) { return ilog(1 + Math.floor(docs * 64 / df)); }
  function weight(f) { return 4 + (ilog(1 + (f & 15)) >> 1) + (f & 16 ? 12 : 0) + (f & 32 ? 6 : 0); }

  function Index(url) {
    this.url = url;
    this.dir = url.slice(0, url.lastIndexOf('/') + 1);
    this.version = url.slice(url.lastIndexOf('/') + 1).split('.')[0];
  }
  Index.prototype.entry = function () { return load(this.url); };
  // meta returns what a result shows at once: [url, title, date,
  // category number], from the meta file of its chunk of pages.
  Index.prototype.meta = async function (id) {
    var e = await this.entry();
    var chunk = await load(this.dir + 'm/' + Math.floor(id / e.meta_chunk) + '.json.gz?v=' + this.version);
    return chunk[id % e.meta_chunk];
  };

  // urls returns the files an item is looked up in, given the entry e:
  // the word shards of a word (of the keys it begins, for a prefix), or a
  // phrase's pair buckets, one a pair; none when a key of one or two bytes
  // is no word (the first letters of a word being typed fetch nothing).
  Index.prototype.urls = function (it, e) {
    var short = this.short = this.short || new Set(e.short.split(' '));
    function noWord(k) { return utf8len(k) <= 2 && !short.has(k); }
    var dir = this.dir, version = this.version;
    if (it.keys.length > 1) {
      if (!e.pairs || it.keys.some(function (k) { return k.split(' ').some(noWord); })) return [];
      return it.keys.map(function (k) { return dir + 'b/' + (fnv32(k) & (e.pairs - 1)) + '.json.gz?v=' + version; });
    }
    var key = it.keys[0], list = e.words;
    if (!it.prefix && noWord(key)) return [];
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (cmp(list[mid][0], key) > 0) hi = mid; else lo = mid + 1;
    }
    var first = lo - 1;
    if (first < 0) {
      if (!it.prefix || !list.length || !list[0][0].startsWith(key)) return [];
      first = 0;
    }
    var last = first;
    while (it.prefix && last + 1 < list.length && last + 1 - first < MAX_PREFIX_SHARDS && list[last + 1][0].startsWith(key)) last++;
    return list.slice(first, last + 1).map(function (sh) { return dir + sh[1] + '.json.gz'; });
  };

  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }

  // A Match is what an item finds: for each page, its flags with 64 added
  // (0 for a page without the item), whether it has the item as typed, and
  // how many pages have it. Arrays by page number, not maps: a common word
  // is on most of ten thousand pages, and is matched at every key.
  function Match(docs) {
    this.flags = new Uint8Array(docs);
    this.exact = new Uint8Array(docs);
    this.size = 0;
  }

  // match is what an item finds in its files. It is worked out once for
  // each item (typing a query looks its first words up again at every
  // key), and only for a search that is still the newest.
  Index.prototype.match = function (it, files) {
    var id = JSON.stringify(it);
    this.found = this.found || new Map();
    var m = this.found.get(id);
    if (m) return m;
    var docs = this.docs;
    m = new Match(docs);
    var key = it.keys[0];
    if (it.keys.length === 1) {
      files.forEach(function (shard) {
        if (!it.prefix) { if (has(shard, key)) addPostings(m, shard[key], key, it.forms[0], false); return; }
        for (var k in shard) if (k.startsWith(key)) addPostings(m, shard[k], key, it.forms[0], true);
      });
    }
    // A phrase is in a page when all its pairs are; it is in the title
    // when they all are, and counted as often as its rarest pair.
    files.forEach(function (bucket, i) {
      if (it.keys.length === 1) return;
      var one = new Match(docs);
      if (has(bucket, it.keys[i])) addPostings(one, bucket[it.keys[i]], it.keys[i], it.forms[i], false);
      if (i === 0) { m = one; return; }
      var size = 0;
      for (var page = 0; page < docs; page++) {
        var f = m.flags[page];
        if (!f) continue;
        var g = one.flags[page];
        if (!g) { m.flags[page] = 0; m.exact[page] = 0; continue; }
        m.flags[page] = 64 | Math.min(f & 15, g & 15) | (f & g & 48);
        if (!one.exact[page]) m.exact[page] = 0;
        size++;
      }
      m.size = size;
    });
    if (this.found.size > 64) this.found.clear();
    this.found.set(id, m);
    return m;
  };

  // addPostings adds the postings of a key's forms to m. A word typed
  // without diacritics matches every form alike; one typed with them
  // matches its own form exactly.
  function addPostings(m, forms, key, form, prefix) {
    var typedMarks = form !== key, flags = m.flags, ex = m.exact, docs = flags.length;
    for (var f in forms) {
      var exact = typedMarks && (f === form || prefix && f.startsWith(form));
      eachPosting(forms[f], function (id, fl) {
        if (id >= docs) return;
        var old = flags[id];
        if (!old) m.size++;
        flags[id] = 64 | Math.min((old & 15) + (fl & 15), 15) | ((old | fl) & 48);
        if (exact) ex[id] = 1;
      });
    }
  }

  // eachPosting calls fn(page, flags) for each posting of a list: plain
  // (the distance from the last page, then the flags), or dense ("~", the
  // pages up to which it runs, the pages without it, "~", the pages with
  // flags beyond the body; the others have it once in the body). Numbers
  // are digits of five bits, low digits first, flagged with 32 but the
  // last.
  function eachPosting(ps, fn) {
    var n = ps.length, i = 0, id = -1, r;
    // read reads a number at i, before lim; -1 when the list ends first.
    function read(lim) {
      var v = 0, mul = 1, d;
      while (i < lim) {
        d = DIGIT[ps.charCodeAt(i++)];
        v += (d & 31) * mul;
        if (d < 32) return v;
        mul *= 32;
      }
      return -1;
    }
    if (ps.charCodeAt(0) !== 126) { // not "~": read's loop, inline
      var v, mul, d;
      while (i < n) {
        v = 0;
        mul = 1;
        do {
          d = DIGIT[ps.charCodeAt(i++)];
          v += (d & 31) * mul;
          mul *= 32;
        } while (d >= 32 && i < n);
        if (d >= 32 || i >= n) return;
        id += v;
        fn(id, DIGIT[ps.charCodeAt(i++)]);
      }
      return;
    }
    var cut = ps.indexOf('~', 1);
    if (cut < 0) cut = n;
    i = 1;
    var end = read(cut), gap = -1, next = -1, fl = 0, gi, fi = cut + 1;
    // Two cursors: gi in the pages without it, fi in the flagged ones.
    function nextGap() { i = gi; r = read(cut); gap = r >= 0 ? gap + r : end; gi = i; }
    function nextFlagged() {
      i = fi;
      r = read(n);
      if (r >= 0 && i < n) { next += r; fl = DIGIT[ps.charCodeAt(i++)]; } else next = end;
      fi = i;
    }
    gi = i;
    nextGap();
    nextFlagged();
    for (id = 0; id < end; id++) {
      if (id === gap) { nextGap(); continue; }
      if (id === next) { fn(id, fl); nextFlagged(); continue; }
      fn(id, 1);
    }
  }

  // A result is a number: (exact × 2^16 + score) × 2^32 + page, so that
  // the results sort as numbers (a typed array's own sort, with no
  // function to call), best last: the pages with more of the query's
  // words as typed, then the higher score, then the newer. Exact is at
  // most MAX_ITEMS and a score below 2^16 (an idf below 160 times a
  // weight of at most 30, eight times), so the number is below 2^53.
  var PAGE = 4294967296, RANK = 65536;
  function pageOf(r) { return r % PAGE; }

  // rank returns the results of the matches ms, best first, in the
  // category cat (by the pages' categories cats) when cat > 0.
  Index.prototype.rank = function (ms, cat, cats) {
    var docs = this.docs;
    var idfs = ms.map(function (m) { return m.size ? idf(docs, m.size) : 0; });
    // The pages of the rarest item, checked against the others.
    var rarest = ms.reduce(function (a, m) { return m.size < a.size ? m : a; });
    var out = new Float64Array(rarest.size), n = 0, flags = rarest.flags;
    pages: for (var id = 0; id < flags.length; id++) {
      if (!flags[id] || cat > 0 && cats[id] !== cat) continue;
      var exact = 0, score = 0;
      for (var i = 0; i < ms.length; i++) {
        var m = ms[i], f = m.flags[id];
        if (!f) continue pages;
        exact += m.exact[id];
        score += idfs[i] * weight(f & 63);
      }
      out[n++] = (exact * RANK + score) * PAGE + id;
    }
    return out.subarray(0, n).sort().reverse();
  };

  // search returns the pages that match, best first (see rank); null when
  // stale() says, once its words are in, that a newer search overtook it
  // (its matching and ranking would only delay the newer). While the
  // files of the last item are on their way, guess(pages) is given the
  // first pages of the others, if they are in: the likely first results.
  Index.prototype.search = async function (items, category, stale, guess) {
    if (!items.length) return new Float64Array(0);
    var e = await this.entry();
    var self = this;
    this.docs = e.docs;
    var cat = -1;
    e.categories.forEach(function (c, i) { if (c[1] === category) cat = i + 1; });
    if (category && cat < 0) return new Float64Array(0);
    var catsURL = this.dir + e.doc_categories + '.json.gz';
    var urls = items.map(function (it) { return self.urls(it, e); });
    var last = items.length - 1;
    // The words before the last are typed whole: each is matched as soon
    // as its files are in, while the visitor types on. The last may be
    // the start of a word still being typed, matched only if no key
    // follows before its files are in.
    var files = Promise.all(items.map(function (it, i) {
      var f = Promise.all(urls[i].map(load));
      return i === last ? f : f.then(function (fs) { self.match(it, fs); return fs; });
    }));
    if (guess && last > 0 && last < GUESS_ITEMS && !urls[last].every(isIn) && !(stale && stale())) {
      var before = items.slice(0, last), key = JSON.stringify(before) + ' ' + cat;
      if (key !== this.guessed && urls.slice(0, last).every(function (us) { return us.every(isIn); }) &&
        (cat <= 0 || isIn(catsURL))) {
        this.guessed = key;
        var first = this.rank(before.map(function (it, i) { return self.match(it, urls[i].map(function (u) { return got.get(u); })); }),
          cat, got.get(catsURL));
        guess(Array.from(first.subarray(0, PER_PAGE), pageOf));
      }
    }
    files = await files;
    if (stale && stale()) return null;
    var ms = items.map(function (it, i) { return self.match(it, files[i]); });
    // The category of each page, fetched for the first query with one.
    var cats = cat > 0 ? await load(catsURL) : null;
    if (stale && stale()) return null;
    return this.rank(ms, cat, cats);
  };

  // marked appends text to el, with the words that match the query in
  // <mark>.
  function marked(el, text, items) {
    var keys = new Set(), prefixes = [];
    items.forEach(function (it) {
      it.keys.forEach(function (k) { k.split(' ').forEach(function (w) { keys.add(w); }); });
      if (it.prefix) prefixes.push(it.keys[0]);
    });
    var at = 0, m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      var k = fold(m[0]);
      if (!keys.has(k) && !prefixes.some(function (p) { return k.startsWith(p); })) continue;
      el.append(text.slice(at, m.index));
      var mark = document.createElement('mark');
      mark.textContent = m[0];
      el.append(mark);
      at = m.index + m[0].length;
    }
    el.append(text.slice(at));
  }

  // excerpt is the part of text around the first match, cut at spaces.
  function excerpt(text, items) {
    var keys = new Set();
    items.forEach(function (it) { it.keys.forEach(function (k) { keys.add(k.split(' ')[0]); }); });
    var m, pos = -1;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      var k = fold(m[0]);
      if (keys.has(k) || items.some(function (it) { return it.prefix && k.startsWith(it.keys[0]); })) { pos = m.index; break; }
    }
    if (pos < 0) return '';
    var start = Math.max(0, pos - 80), end = Math.min(text.length, pos + 180);
    if (start > 0) start = text.indexOf(' ', start) + 1 || start;
    if (end < text.length) end = text.lastIndexOf(' ', end) > pos ? text.lastIndexOf(' ', end) : end;
    return (start > 0 ? '… ' : '') + text.slice(start, end) + (end < text.length ? ' …' : '');
  }

  // lead is the start of text, for a page found by its title or tags.
  function lead(text) {
    if (text.length <= 200) return text;
    var end = text.lastIndexOf(' ', 200);
    return text.slice(0, end > 100 ? end : 200) + ' …';
  }

  function start(form) {
    var input = form.querySelector('input[name=q]');
    var select = form.querySelector('select[name=cm]');
    var status = document.getElementById('tk-trang-thai');
    var list = document.getElementById('tk-ket-qua');
    var more = document.getElementById('tk-them');
    var nojs = document.getElementById('tk-nojs');
    var catBase = form.dataset.categories || '';
    if (!window.fetch || typeof TextDecoder !== 'function') return; // the page's message stays
    nojs.hidden = true;
    var index = new Index(form.dataset.index);
    var results = new Float64Array(0), items = [], shown = 0;

    // pageText fetches a result's own page, once, for its snippet: the
    // text of the post's body (or of the main part), and its description.
    var pages = new Map();
    function pageText(url) {
      if (!pages.has(url)) {
        pages.set(url, fetch(url).then(function (r) {
          if (!r.ok) throw new Error(url + ': ' + r.status);
          return r.text();
        }).then(function (html) {
          var doc = new DOMParser().parseFromString(html, 'text/html');
          var body = doc.querySelector('.post-body') || doc.querySelector('main');
          var desc = doc.querySelector('meta[name=description]');
          return {
            text: body ? body.textContent.replace(/\s+/g, ' ').trim() : '',
            description: desc ? desc.getAttribute('content') : ''
          };
        }).catch(function (e) {
          pages.delete(url);
          throw e;
        }));
      }
      return pages.get(url);
    }

    // snippets fills the snippets of the results shown that have none yet,
    // as each comes near the screen: a page of results below the fold is
    // not fetched unless the visitor scrolls to it.
    var snippetTimer = 0;
    function snippet(li) {
      li.dataset.snippet = 'loading';
      var its = li.congxaItems;
      pageText(li.dataset.url).then(function (pg) {
        var p = li.querySelector('.search-result-snippet');
        p.replaceChildren();
        marked(p, excerpt(pg.text, its) || excerpt(pg.description, its) || pg.description || lead(pg.text), its);
        li.dataset.snippet = 'shown';
      }, function () { li.dataset.snippet = 'failed'; });
    }
    var near = typeof IntersectionObserver === 'function' && new IntersectionObserver(function (entries) {
      entries.forEach(function (en) {
        if (!en.isIntersecting) return;
        near.unobserve(en.target);
        if (en.target.dataset.snippet === 'waiting' && en.target.isConnected) snippet(en.target);
      });
    }, { rootMargin: '200px 0px' });
    function snippets() {
      clearTimeout(snippetTimer);
      list.querySelectorAll('li[data-snippet=wanted]').forEach(function (li) {
        if (!near) { snippet(li); return; }
        li.dataset.snippet = 'waiting';
        near.observe(li);
      });
    }
    function snippetsSoon(now) {
      clearTimeout(snippetTimer);
      if (now) snippets(); else snippetTimer = setTimeout(snippets, SNIPPET_PAUSE);
    }

    // showMore shows the next ten results, once their meta files are in;
    // fresh ones replace the list. The list is aria-busy until they are
    // shown; their snippets follow (see snippetsSoon).
    async function showMore(focus, fresh, now) {
      var these = results, its = items, from = fresh ? 0 : shown, batch = Array.from(results.subarray(from, from + PER_PAGE), pageOf);
      list.setAttribute('aria-busy', 'true');
      var e = await index.entry();
      var metas = await Promise.all(batch.map(function (id) { return index.meta(id); }));
      if (these !== results) return false; // a newer search replaced them
      if (fresh) list.replaceChildren();
      var firstLink = null;
      metas.forEach(function (d, i) {
        var url = d[0], title = d[1], date = d[2], c = e.categories[d[3] - 1];
        var li = document.createElement('li');
        li.className = 'search-result';
        li.dataset.url = url;
        li.dataset.snippet = 'wanted';
        li.congxaItems = its;
        var h = document.createElement('h2');
        h.className = 'search-result-title';
        var a = document.createElement('a');
        a.href = url;
        marked(a, title, its);
        h.append(a);
        li.append(h);
        firstLink = firstLink || a;
        if (date || c) {
          var meta = document.createElement('p');
          meta.className = 'meta';
          if (date) meta.append(date);
          if (c) {
            if (date) meta.append(' · ');
            var ca = document.createElement('a');
            ca.className = 'cat-label';
            ca.href = catBase + c[1] + '/';
            ca.textContent = c[0];
            meta.append(ca);
          }
          li.append(meta);
        }
        var p = document.createElement('p');
        p.className = 'search-result-snippet';
        li.append(p);
        list.append(li);
      });
      shown = from + batch.length;
      list.setAttribute('aria-busy', 'false');
      more.hidden = shown >= results.length;
      if (focus && firstLink) firstLink.focus();
      snippetsSoon(now);
      return true;
    }

    // Every keystroke starts a search at once; a search that a newer one
    // overtook shows nothing. now: show snippets at once, not after a
    // pause in typing.
    var generation = 0;
    async function run(g, now) {
      var q = input.value, cat = select ? select.value : '';
      var params = new URLSearchParams();
      if (q) params.set('q', q);
      if (cat) params.set('cm', cat);
      var qs = params.toString();
      history.replaceState(null, '', location.pathname + (qs ? '?' + qs : ''));
      var its = parse(q);
      if (!its.length) {
        items = its;
        results = new Float64Array(0);
        list.replaceChildren();
        list.setAttribute('aria-busy', 'false');
        more.hidden = true;
        status.textContent = q.trim() ? 'Hãy gõ một từ có chữ cái hoặc chữ số.' : '';
        return;
      }
      // The likely first results' titles are fetched while the last
      // word's files come.
      var found = await index.search(its, cat, function () { return g !== generation; }, function (pages) {
        pages.forEach(function (id) { index.meta(id).catch(function () {}); });
      });
      if (g !== generation) return;
      items = its;
      results = found;
      // The count first; the results follow as their pages come in.
      var said = '“' + q.trim() + '”' + (select && cat ? ' trong chuyên mục ' + select.selectedOptions[0].text : '');
      status.textContent = (results.length
        ? 'Tìm thấy ' + results.length.toLocaleString('vi-VN') + ' kết quả cho ' + said + '.'
        : 'Không tìm thấy kết quả nào cho ' + said + '. Hãy thử từ khác, bớt từ, hoặc bỏ chọn chuyên mục.') +
        (its.cut ? ' Chỉ ' + MAX_ITEMS + ' từ (hoặc cụm từ trong ngoặc kép) đầu tiên được dùng để tìm.' : '');
      await showMore(false, true, now);
    }

    function schedule(now) {
      clearTimeout(snippetTimer);
      var g = ++generation;
      run(g, now).catch(function () {
        if (g !== generation) return;
        status.textContent = 'Không tải được dữ liệu tìm kiếm. Hãy thử lại sau.';
        nojs.hidden = false;
      });
    }

    form.addEventListener('submit', function (ev) { ev.preventDefault(); schedule(true); });
    input.addEventListener('input', function () { schedule(false); });
    if (select) select.addEventListener('change', function () { schedule(true); });
    more.addEventListener('click', function () {
      showMore(true, false, true).catch(function () { status.textContent = 'Không tải được dữ liệu tìm kiếm. Hãy thử lại sau.'; });
    });
    var params = new URLSearchParams(location.search);
    input.value = params.get('q') || '';
    if (select && params.get('cm')) select.value = params.get('cm');
    if (input.value) schedule(true);
  }

  // For tests, and for anyone who wants to check a spelling.
  window.congxaSearch = {
    fold: fold, words: words, gunzip: gunzip,
    postings: function (ps) { var out = []; eachPosting(ps, function (id, f) { out.push([id, f]); }); return out; }
  };
  var form = document.getElementById('tim-kiem');
  if (form) start(form);
})();
