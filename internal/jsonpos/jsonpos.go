// Package jsonpos finds where each value of a JSON document starts, so that
// a problem found after decoding ("late must not be negative") can be
// reported at the line and column of the value that caused it.
//
// Paths name values from the root: "" is the root, "processed" a member of
// the root object, "by_field[2].late" a member of the third element of the
// array "by_field".
package jsonpos

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Index maps each value's path to the byte offset where it starts.
type Index map[string]int

// SyntaxError is a document that is not JSON.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string { return e.Msg }

// Scan checks that data holds exactly one JSON value and indexes it.
func Scan(data []byte) (Index, error) {
	s := &scanner{data: data, dec: json.NewDecoder(bytes.NewReader(data)), idx: Index{}}
	s.dec.UseNumber()
	if err := s.value(""); err != nil {
		return nil, s.wrap(err)
	}
	off := s.start()
	if _, err := s.dec.Token(); err != io.EOF {
		if err != nil {
			return nil, s.wrap(err)
		}
		return nil, &SyntaxError{Offset: off, Msg: "unexpected data after the JSON value"}
	}
	return s.idx, nil
}

// Parent returns the path of the value that contains path ("" for members
// of the root).
func Parent(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '.' || path[i] == '[' {
			return path[:i]
		}
	}
	return ""
}

// Child joins a member name to a path.
func Child(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// Elem joins an array index to a path.
func Elem(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// Offset returns the offset of path, or of its nearest indexed ancestor
// when path itself is absent (a missing member is reported at the object
// that lacks it).
func (x Index) Offset(path string) int {
	for {
		if off, ok := x[path]; ok {
			return off
		}
		if path == "" {
			return 0
		}
		path = Parent(path)
	}
}

type scanner struct {
	data []byte
	dec  *json.Decoder
	idx  Index
}

// start returns the offset of the next token: InputOffset stops after the
// previous token, before separators and white space.
func (s *scanner) start() int {
	i := int(s.dec.InputOffset())
	for i < len(s.data) {
		switch s.data[i] {
		case ' ', '\t', '\r', '\n', ',', ':':
			i++
			continue
		}
		break
	}
	return i
}

func (s *scanner) value(path string) error {
	off := s.start()
	tok, err := s.dec.Token()
	if err != nil {
		if err == io.EOF {
			return &SyntaxError{Offset: len(s.data), Msg: "unexpected end of JSON input"}
		}
		return err
	}
	s.idx[path] = off
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	switch d {
	case '{':
		for s.dec.More() {
			koff := s.start()
			k, err := s.dec.Token()
			if err != nil {
				return err
			}
			key, ok := k.(string)
			if !ok {
				return &SyntaxError{Offset: koff, Msg: "object key must be a string"}
			}
			if err := s.value(Child(path, key)); err != nil {
				return err
			}
		}
	case '[':
		for i := 0; s.dec.More(); i++ {
			if err := s.value(Elem(path, i)); err != nil {
				return err
			}
		}
	}
	_, err = s.dec.Token() // the closing delimiter
	return err
}

func (s *scanner) wrap(err error) error {
	var se *SyntaxError
	if errors.As(err, &se) {
		return se
	}
	var js *json.SyntaxError
	if errors.As(err, &js) {
		// A Decoder's offsets count from where its current token began;
		// Unmarshal's count from the start of the data.
		if uerr := json.Unmarshal(s.data, new(any)); errors.As(uerr, &js) {
			err = uerr
		}
		off := int(js.Offset)
		if off > 0 {
			off-- // Offset counts the byte that was rejected
		}
		return &SyntaxError{Offset: off, Msg: js.Error()}
	}
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		return &SyntaxError{Offset: len(s.data), Msg: "unexpected end of JSON input"}
	}
	return &SyntaxError{Offset: s.start(), Msg: fmt.Sprint(err)}
}
