package csvimport

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding is how a file's text is written.
type Encoding string

const (
	UTF8        Encoding = "UTF-8"
	UTF16LE     Encoding = "UTF-16LE" // Excel's "Unicode text", Google Ads' older downloads
	UTF16BE     Encoding = "UTF-16BE"
	Windows1252 Encoding = "Windows-1252" // Excel's CSV on Windows, when the file is not UTF-8
)

// LineError is a file that cannot be imported, and where: the line
// (counted as a text editor counts them) and the column.
type LineError struct {
	File   string
	Line   int    // 0 when the whole file is wrong
	Column string // the column's header, "" when not one column's
	Col    int    // its position, from 1
	Value  string // the value, when one value is wrong
	Msg    string
}

func (e *LineError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ", line %d", e.Line)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ", column %d (%q)", e.Col, e.Column)
	} else if e.Col > 0 {
		fmt.Fprintf(&b, ", column %d", e.Col)
	}
	b.WriteString(": ")
	if e.Value != "" {
		fmt.Fprintf(&b, "%q ", e.Value)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// source is an open file being read: its bytes hashed as they pass, its
// text decoded to UTF-8.
type source struct {
	f    *os.File
	hash hash.Hash
	text *bufio.Reader
	size int64
}

// openSource opens a file for reading as text in an encoding.
func openSource(path string, enc Encoding) (*source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	h := sha256.New()
	raw := io.TeeReader(f, h)
	var r io.Reader
	switch enc {
	case UTF16LE:
		r = transform.NewReader(raw, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder())
	case UTF16BE:
		r = transform.NewReader(raw, unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder())
	case Windows1252:
		r = transform.NewReader(raw, charmap.Windows1252.NewDecoder())
	default:
		r = raw
	}
	br := bufio.NewReaderSize(r, 256<<10)
	if enc == UTF8 {
		// A UTF-8 byte order mark (Excel writes one) is not text.
		if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
			br.Discard(3)
		}
	}
	// Lines ended by a carriage return alone (Excel for Mac's "Macintosh
	// Comma Separated" format) are lines: with no line feed in the first
	// 64 KiB and a carriage return there, each one ends a line.
	if b, _ := br.Peek(64 << 10); bytes.IndexByte(b, '\n') < 0 && bytes.IndexByte(b, '\r') >= 0 {
		br = bufio.NewReaderSize(crLines{br}, 256<<10)
	}
	return &source{f: f, hash: h, text: br, size: st.Size()}, nil
}

// crLines reads a text whose lines end in a carriage return alone as one
// whose lines end in a line feed.
type crLines struct{ r io.Reader }

func (c crLines) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

// finish reads what is left (so the hash covers the whole file) and closes.
func (s *source) finish() (string, error) {
	if _, err := io.Copy(io.Discard, s.text); err != nil {
		s.f.Close()
		return "", err
	}
	s.f.Close()
	return fmt.Sprintf("%x", s.hash.Sum(nil)), nil
}

func (s *source) close() { s.f.Close() }

// errBinary is a file that is not text: a workbook (.xlsx, .xls, .ods),
// an image, an archive.
var errBinary = errors.New("is not a CSV file but binary data (a spreadsheet workbook? save or export it as CSV)")

// binary reports a file start that no text export has: zero bytes that are
// not UTF-16's (workbooks, images and archives all have them), or control
// characters beyond tabs and line breaks in more than one byte in ten.
func binary(head []byte) bool {
	evenZero, oddZero, controls := 0, 0, 0
	for i, b := range head {
		switch {
		case b == 0 && i%2 == 0:
			evenZero++
		case b == 0:
			oddZero++
		case b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != 0x0c && b != 0x1a:
			controls++
		}
	}
	// UTF-16 text without a byte order mark has its zeros on one side.
	return evenZero > 0 && oddZero > 0 || controls*10 > len(head)
}

// sniffEncoding reads a file's start (and, without a byte order mark, all
// of it) to tell its encoding: a BOM says UTF-16 or UTF-8; zero bytes every
// other byte say UTF-16 without one; text that is not valid UTF-8 is read
// as Windows-1252, what Excel on Windows writes.
func sniffEncoding(path string) (Encoding, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	head, _ := br.Peek(4096)
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return UTF16LE, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return UTF16BE, nil
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return UTF8, nil
	}
	if binary(head) {
		return "", errBinary
	}
	if len(head) >= 4 {
		evenZero, oddZero := 0, 0
		for i := 0; i+1 < len(head); i += 2 {
			if head[i] == 0 {
				evenZero++
			}
			if head[i+1] == 0 {
				oddZero++
			}
		}
		half := len(head) / 4
		if oddZero > half && evenZero == 0 {
			return UTF16LE, nil
		}
		if evenZero > half && oddZero == 0 {
			return UTF16BE, nil
		}
	}
	// Valid UTF-8 all through, or not. Read in chunks; a rune cut at a
	// chunk's end is carried over.
	buf := make([]byte, 64<<10)
	var carry []byte
	for {
		n, err := br.Read(buf)
		chunk := append(carry, buf[:n]...)
		carry = nil
		// Keep an incomplete rune at the end for the next chunk.
		if end := len(chunk); end > 0 {
			i := end - 1
			for i > 0 && end-i < utf8.UTFMax && !utf8.RuneStart(chunk[i]) {
				i--
			}
			if !utf8.FullRune(chunk[i:]) && err == nil {
				carry = append([]byte(nil), chunk[i:]...)
				chunk = chunk[:i]
			}
		}
		if !utf8.Valid(chunk) || bytes.IndexByte(chunk, 0) >= 0 {
			return Windows1252, nil
		}
		if err == io.EOF {
			return UTF8, nil
		}
		if err != nil {
			return "", err
		}
	}
}

// delimiters crier tries, in order of preference on a tie.
var delimiters = []rune{',', ';', '\t', '|'}

// splitLine reads one line as a CSV record with a delimiter.
func splitLine(line string, delim rune) ([]string, bool) {
	r := csv.NewReader(strings.NewReader(line))
	r.Comma = delim
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	rec, err := r.Read()
	if err != nil {
		return nil, false
	}
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	return rec, true
}

// countOutsideQuotes counts a delimiter outside quoted fields.
func countOutsideQuotes(line string, delim rune) int {
	n, quoted := 0, false
	for _, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
		case r == delim && !quoted:
			n++
		}
	}
	return n
}

// maxPreamble is how many lines before the header a file may have (report
// titles, date ranges, comments).
const maxPreamble = 30

// head is what the top of a file says: the lines before the header, the
// header, and how the fields are separated.
type head struct {
	skipped []Skipped // title and comment lines
	line    int       // the header's line, from 1
	header  []string
	delim   rune
	rawLine string // the header line as read
}

// Skipped is a line of a file that was not imported, and why.
type Skipped struct {
	Line int
	Text string
	Why  string
}

// readHead finds the header: the first line that a preset (or the given
// test) recognises, after title lines, comments ("# ...") and empty
// lines. It leaves r at the line after the header.
func readHead(r *bufio.Reader, file string, isHeader func([]string) bool) (head, error) {
	var h head
	for n := 1; n <= maxPreamble; n++ {
		line, err := r.ReadString('\n')
		if err != nil && err != io.EOF {
			return h, err
		}
		if line == "" && err == io.EOF {
			break
		}
		text := strings.TrimRight(line, "\r\n")
		trimmed := strings.TrimSpace(text)
		switch {
		case trimmed == "":
			h.skipped = append(h.skipped, Skipped{n, "", "empty line"})
		case strings.HasPrefix(trimmed, "#"):
			h.skipped = append(h.skipped, Skipped{n, text, "comment"})
		default:
			delim := bestDelimiter(text)
			fields, ok := splitLine(text, delim)
			if ok && len(fields) >= 2 && isHeader(fields) {
				h.line, h.header, h.delim, h.rawLine = n, fields, delim, line
				return h, nil
			}
			h.skipped = append(h.skipped, Skipped{n, text, "before the header"})
		}
		if err == io.EOF {
			break
		}
	}
	if len(h.skipped) == 0 {
		return h, &LineError{File: file, Msg: "the file is empty"}
	}
	return h, errNoHeader
}

var errNoHeader = errors.New("no header line")

// bestDelimiter is the delimiter a line has most of outside quotes.
func bestDelimiter(line string) rune {
	best, count := delimiters[0], -1
	for _, d := range delimiters {
		if c := countOutsideQuotes(line, d); c > count {
			best, count = d, c
		}
	}
	return best
}

// records reads the data lines after the header, with their line numbers
// in the file.
type records struct {
	r      *csv.Reader
	offset int // lines before the data
}

func newRecords(rest io.Reader, delim rune, headerLine, fields int) *records {
	r := csv.NewReader(rest)
	r.Comma = delim
	r.FieldsPerRecord = fields
	r.ReuseRecord = true
	return &records{r: r, offset: headerLine}
}

// each calls fn with every record and the line it starts on, until fn
// returns an error or the data ends. A line the reader cannot read is a
// *LineError in file.
func (rs *records) each(file string, fn func(rec []string, line int) error) error {
	for {
		rec, err := rs.r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine + rs.offset
			}
			msg, col := csvErrorMessage(err)
			return &LineError{File: file, Line: line, Col: col, Msg: msg}
		}
		line, _ := rs.r.FieldPos(0)
		if err := fn(rec, line+rs.offset); err != nil {
			return err
		}
	}
}

// csvErrorMessage says what a csv.ParseError means, for people.
func csvErrorMessage(err error) (msg string, col int) {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return err.Error(), 0
	}
	switch {
	case errors.Is(pe.Err, csv.ErrFieldCount):
		return "has a different number of fields than the header (a value with the separator in it needs quotes)", 0
	case errors.Is(pe.Err, csv.ErrQuote):
		return "has a quote (\") that does not close: the line, or one after it, is cut off", pe.Column
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return "has a quote (\") inside a field that is not quoted", pe.Column
	}
	return pe.Err.Error(), pe.Column
}
