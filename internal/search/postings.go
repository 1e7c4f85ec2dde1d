package search

import (
	"encoding/binary"
	"slices"
)

// In a single build (Cache.once), each worker files the postings of the
// pages it reads in lists of its own, one a word and one a pair, as it
// reads them. The lists are compact: a worker numbers the pages it reads
// from 1, in the order read, and a posting is the distance from the
// worker's number of the list's previous page, less one, shifted left by
// six bits, with the flags in the low bits, as a varint: one byte when
// the list's previous page is one of the worker's last two, two up to
// its last 256. The bytes of a list are in blocks of an arena, each
// block twice as large as the one before up to blockMax, chained by the
// offset of the next at the end of each. Most of a list is dense, so a
// posting takes a byte or two instead of four (and the slack of a growing
// slice), and the arena holds no pointers for the collector to follow.

// postList is one list: its first block, where its next byte goes, its
// length, and the worker's number of its last page.
type postList struct {
	head, tail uint32 // offsets in the arena
	n          uint32 // postings
	last       uint32 // the worker's number of the last page filed; 0 for none
}

const (
	chunkBits = 16 // an arena's chunks are of 64 KiB
	chunkSize = 1 << chunkBits
	chunkMask = chunkSize - 1
	// Blocks are of 8 << level bytes, the last four of which hold the
	// offset of the next block; until it is made, the first of those four
	// holds level + 1 (every other free byte is 0).
	blockLevels = 8
	blockMin    = 8
	blockMax    = blockMin << (blockLevels - 1)
)

// arena holds the blocks of one worker's lists: chunks of chunkSize
// bytes, a block never across two. An offset is a chunk's number <<
// chunkBits | the place in it.
type arena struct {
	chunks [][]byte
	used   int // of the last chunk
}

// alloc returns the offset of a new block of the given level, marked as
// the end of its list.
func (a *arena) alloc(level int) uint32 {
	size := blockMin << level
	if len(a.chunks) == 0 || a.used+size > chunkSize {
		a.chunks = append(a.chunks, make([]byte, chunkSize))
		a.used = 0
	}
	at := uint32(len(a.chunks)-1)<<chunkBits | uint32(a.used)
	a.used += size
	a.chunks[len(a.chunks)-1][a.used-4] = byte(level + 1)
	return at
}

// put appends posting (page, flags) to l, page being the worker's number
// of a page after every page already in l.
func (a *arena) put(l *postList, page uint32, flags uint8) {
	if l.n == 0 {
		l.head = a.alloc(0)
		l.tail = l.head
	}
	v := (page-l.last-1)<<6 | uint32(flags)
	l.last = page
	l.n++
	if v < 0x80 {
		// One byte, most often, in the block.
		c := a.chunks[l.tail>>chunkBits]
		if i := l.tail & chunkMask; c[i] == 0 {
			c[i] = byte(v)
			l.tail++
			return
		}
	}
	for v >= 0x80 {
		a.putByte(l, byte(v)|0x80)
		v >>= 7
	}
	a.putByte(l, byte(v))
}

// putByte1 puts a posting as put does when it takes one byte in l's
// last block, as most do, and tells whether it did: put's common case,
// inlined.
func (a *arena) putByte1(l *postList, page uint32, flags uint8) bool {
	v := (page-l.last-1)<<6 | uint32(flags)
	if l.n == 0 || v >= 0x80 {
		return false
	}
	c := a.chunks[l.tail>>chunkBits]
	i := l.tail & chunkMask
	if c[i] != 0 {
		return false
	}
	c[i] = byte(v)
	l.tail++
	l.last = page
	l.n++
	return true
}

func (a *arena) putByte(l *postList, b byte) {
	c := a.chunks[l.tail>>chunkBits]
	i := l.tail & chunkMask
	if m := c[i]; m != 0 {
		// The end of the block: chain the next.
		next := a.alloc(min(int(m), blockLevels-1))
		binary.LittleEndian.PutUint32(c[i:], next)
		l.tail = next
		c, i = a.chunks[next>>chunkBits], next&chunkMask
	}
	c[i] = b
	l.tail++
}

// appendList appends to dst the postings of l, in the order filed, each
// as page number << 6 | flags, the page's number (docs[i]) taken from
// pages, the pages in the order the worker read them.
func (a *arena) appendList(dst []uint32, l *postList, pages []uint32) []uint32 {
	if l.n == 0 {
		return dst
	}
	at := len(dst)
	dst = slices.Grow(dst, int(l.n))[:at+int(l.n)]
	out := dst[at:]
	k, page := 0, uint32(0)
	v, shift := uint32(0), 0
	level, c := 0, a.chunks[l.head>>chunkBits]
	i := int(l.head & chunkMask)
	for {
		// The bytes of a block, but the offset of the next at its end.
		end := i + blockMin<<level - 4
		for _, b := range c[i:end] {
			v |= uint32(b&0x7f) << shift
			if b >= 0x80 {
				shift += 7
				continue
			}
			page += v>>6 + 1
			out[k] = pages[page-1]<<6 | v&63
			v, shift = 0, 0
			if k++; k == len(out) {
				return dst
			}
		}
		next := binary.LittleEndian.Uint32(c[end:])
		level = min(level+1, blockLevels-1)
		c, i = a.chunks[next>>chunkBits], int(next&chunkMask)
	}
}

// lists are one worker's lists of a build: by word id, and by pair, part
// and index.
type lists struct {
	arena
	pages []uint32 // the pages read, in order: the worker's number - 1 → the page's
	words []postList
	pairs [pairParts][]postList
}

// add files one page's postings: its words and pairs (as refs), with
// their flags, each in its list, as the page is read. Filing them by item
// for a batch of pages, sorted by a radix sort, cost more than the cache
// misses it saved: on 3,000 pages of the 10k bench corpus, cachegrind
// counted 6% more instructions and 8% more misses of a 512 KB cache, and
// reading them took about a tenth longer.
func (ls *lists) add(id int, words []uint32, wflags []uint8, refs []uint32, pflags []uint8) {
	ls.pages = append(ls.pages, uint32(id))
	page := uint32(len(ls.pages))
	wflags = wflags[:len(words)]
	for j, w := range words {
		if int(w) >= len(ls.words) {
			ls.words = slices.Grow(ls.words, int(w)+1-len(ls.words))
			ls.words = ls.words[:cap(ls.words)]
		}
		if l := &ls.words[w]; !ls.putByte1(l, page, wflags[j]) {
			ls.put(l, page, wflags[j])
		}
	}
	pflags = pflags[:len(refs)]
	for j, r := range refs {
		ps, x := &ls.pairs[r>>30], int(r&refMask)
		if x >= len(*ps) {
			*ps = slices.Grow(*ps, x+1-len(*ps))
			*ps = (*ps)[:cap(*ps)]
		}
		if l := &(*ps)[x]; !ls.putByte1(l, page, pflags[j]) {
			ls.put(l, page, pflags[j])
		}
	}
}

// word and pair return a list, empty when there is none.
func (ls *lists) word(w uint32) *postList {
	if int(w) < len(ls.words) {
		return &ls.words[w]
	}
	return &postList{}
}

func (ls *lists) pair(k int, x uint32) *postList {
	if int(x) < len(ls.pairs[k]) {
		return &ls.pairs[k][x]
	}
	return &postList{}
}
