package adf

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Errors wrapped by Read. Match them with errors.Is.
var (
	// ErrTooLarge: the input is longer than ReadOptions.MaxBytes.
	ErrTooLarge = errors.New("document too large")
	// ErrTooDeep: elements nest deeper than ReadOptions.MaxDepth.
	ErrTooDeep = errors.New("elements nested too deeply")
	// ErrMalformed: the input is not well-formed XML (after the lenient
	// repairs Read makes) — a mismatched end tag, an unquoted attribute,
	// an undefined entity.
	ErrMalformed = errors.New("malformed XML")
	// ErrNoADF: the input holds no <adf> or <prospect> element.
	ErrNoADF = errors.New("no adf or prospect element")
	// ErrBadDate: ParseDate was given a value in none of the ADF date forms.
	ErrBadDate = errors.New("not an ADF date")
)

// ParseError reports why Read refused its input. Err is one of the package's
// sentinels; Path names the element being read ("adf/prospect[0]/vehicle[1]")
// and Line the input line, when known. The message never repeats the
// input's text, so it is safe to log.
type ParseError struct {
	Path  string
	Line  int
	Err   error
	Cause error // the underlying encoding/xml or charset error, if any
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("adf: ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	b.WriteString(e.Err.Error())
	if e.Cause != nil {
		var se *xml.SyntaxError
		if errors.As(e.Cause, &se) {
			b.WriteString(": " + se.Msg)
		}
	}
	return b.String()
}

// Unwrap returns the sentinel, so errors.Is(err, adf.ErrMalformed) works.
func (e *ParseError) Unwrap() error { return e.Err }

// FieldPath returns Path, giving ParseError the shape of
// rapport.FieldError.
func (e *ParseError) FieldPath() string { return e.Path }

// ReadOptions bound what Read accepts. The zero value (or nil) means the
// defaults.
type ReadOptions struct {
	// MaxBytes is the longest input accepted; 0 means 4 MiB, which is
	// hundreds of times a real lead.
	MaxBytes int64
	// MaxDepth is the deepest element nesting accepted; 0 means 32 (a
	// well-formed ADF document nests at most 7 deep).
	MaxDepth int
}

const (
	defaultMaxBytes = 4 << 20
	defaultMaxDepth = 32
)

// Read reads an ADF document leniently, the way lead providers really send
// it:
//
//   - any text before the <adf> (or bare <prospect>) element is skipped
//     (an HTML e-mail wrapper, a comment before <?xml?>), and so is
//     anything after it;
//   - element and attribute names match whatever their case or namespace
//     prefix (<ADF><Prospect>, <adf:adf>); values keep the case they were
//     sent in;
//   - the bytes decide the encoding: UTF-8 (with or without a byte-order
//     mark) and UTF-16 with a byte-order mark are read as such whatever the
//     declaration says; other bytes that are not UTF-8 are read as the
//     declared single-byte charset, or as Windows-1252 when it names none;
//   - HTML entities (&nbsp; &eacute; …) and CDATA are text;
//   - <?adf version?> may be present, absent, or in any case;
//   - elements and attributes the DTD has no place for, and repeats of
//     elements it allows once, are kept in order in the Ext field of the
//     element that holds them.
//
// Read never fetches anything: DOCTYPE declarations are skipped, external
// entities are never resolved and entities declared in a DTD are refused.
// It reads at most opts.MaxBytes bytes. It refuses input that is not
// well-formed XML with a *ParseError wrapping ErrMalformed (the ADF
// specification's own examples with unquoted attributes and mismatched tags
// are such input), ErrTooLarge, ErrTooDeep or ErrNoADF.
//
// Read checks no rules of the DTD: use [Validate] for that.
func Read(r io.Reader, opts *ReadOptions) (*Document, error) {
	var o ReadOptions
	if opts != nil {
		o = *opts
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = defaultMaxBytes
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = defaultMaxDepth
	}
	data, err := io.ReadAll(io.LimitReader(r, o.MaxBytes+1))
	if err != nil {
		return nil, &ParseError{Err: ErrMalformed, Cause: err}
	}
	if int64(len(data)) > o.MaxBytes {
		return nil, &ParseError{Err: ErrTooLarge}
	}
	return parse(data, o)
}

// Unmarshal is Read over a byte slice.
func Unmarshal(data []byte, opts *ReadOptions) (*Document, error) {
	return Read(bytes.NewReader(data), opts)
}

func parse(data []byte, o ReadOptions) (*Document, error) {
	declared := declaredEncoding(data)
	text, err := toUTF8(data, declared)
	if err != nil {
		return nil, &ParseError{Err: ErrMalformed, Cause: err}
	}
	doc := &Document{}
	start := rootStart(text)
	if start < 0 {
		return nil, &ParseError{Err: ErrNoADF}
	}
	doc.Version = piVersion(text[:start])

	root, err := parseTree(text[start:], o.MaxDepth)
	if err != nil {
		return nil, err
	}
	if v := piVersion(text[start:]); doc.Version == "" && v != "" {
		doc.Version = v
	}
	switch key(root.Name) {
	case "adf":
		decodeADF(root, doc)
	default: // "prospect": rootStart found nothing else
		doc.Prospects = append(doc.Prospects, decodeProspect(root))
	}
	return doc, nil
}

// declaredEncoding returns the encoding named in a leading <?xml?>
// declaration, or "".
func declaredEncoding(data []byte) string {
	head := data
	if len(head) > 512 {
		head = head[:512]
	}
	lower := bytes.ToLower(head)
	i := bytes.Index(lower, []byte("<?xml"))
	if i < 0 {
		return ""
	}
	end := bytes.Index(lower[i:], []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := head[i : i+end]
	j := bytes.Index(bytes.ToLower(decl), []byte("encoding"))
	if j < 0 {
		return ""
	}
	rest := bytes.TrimLeft(decl[j+len("encoding"):], " \t\r\n=")
	if len(rest) == 0 {
		return ""
	}
	q := rest[0]
	if q != '"' && q != '\'' {
		return ""
	}
	k := bytes.IndexByte(rest[1:], q)
	if k < 0 || k > 40 {
		return ""
	}
	return string(rest[1 : 1+k])
}

// toUTF8 decides the encoding by the bytes (see Read) and returns UTF-8
// without a byte-order mark.
func toUTF8(data []byte, declared string) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], nil
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}), bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decode(unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), data)
	case len(data) >= 2 && data[0] == 0 && data[1] == '<':
		return decode(unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), data)
	case len(data) >= 2 && data[0] == '<' && data[1] == 0:
		return decode(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), data)
	case utf8.Valid(data):
		return data, nil
	}
	var enc encoding.Encoding = charmap.Windows1252
	switch strings.ToLower(strings.TrimSpace(declared)) {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
		enc = charmap.ISO8859_1
	case "iso-8859-15", "latin-9":
		enc = charmap.ISO8859_15
	}
	return decode(enc, data)
}

func decode(enc encoding.Encoding, data []byte) ([]byte, error) {
	return enc.NewDecoder().Bytes(data)
}

// rootStart returns the offset of the first <adf> element, or of the first
// <prospect> element when there is no <adf>; names match in any case and
// with any namespace prefix. It returns -1 when there is neither.
func rootStart(text []byte) int {
	if i := findElement(text, "adf"); i >= 0 {
		return i
	}
	return findElement(text, "prospect")
}

func findElement(text []byte, name string) int {
	for i := 0; i < len(text); i++ {
		if text[i] != '<' {
			continue
		}
		j := i + 1
		// An optional prefix: letters, digits, '-', '_', '.' then ':'.
		k := j
		for k < len(text) && isNameByte(text[k]) {
			k++
		}
		if k < len(text) && text[k] == ':' {
			j = k + 1
		}
		if len(text)-j < len(name) || !strings.EqualFold(string(text[j:j+len(name)]), name) {
			continue
		}
		e := j + len(name)
		if e == len(text) {
			return -1
		}
		switch text[e] {
		case '>', '/', ' ', '\t', '\r', '\n':
			return i
		}
	}
	return -1
}

func isNameByte(c byte) bool {
	return c == '-' || c == '_' || c == '.' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// piVersion returns the version of the first <?adf …?> processing
// instruction in text, in any of the spellings senders use
// (version="1.0", VERSION "1.0", version=“1.0”).
func piVersion(text []byte) string {
	lower := bytes.ToLower(text)
	i := bytes.Index(lower, []byte("<?adf"))
	if i < 0 {
		return ""
	}
	end := bytes.Index(lower[i:], []byte("?>"))
	if end < 0 {
		return ""
	}
	pi := lower[i+len("<?adf") : i+end]
	j := bytes.Index(pi, []byte("version"))
	if j < 0 {
		return ""
	}
	rest := pi[j+len("version"):]
	// The version is the first run of digits and dots.
	s := bytes.IndexAny(rest, "0123456789")
	if s < 0 {
		return ""
	}
	e := s
	for e < len(rest) && (rest[e] == '.' || '0' <= rest[e] && rest[e] <= '9') {
		e++
	}
	return string(rest[s:e])
}

// parseTree reads the element starting text into a Node tree, stopping at
// its end tag. Element names keep their prefix ("adf:adf").
func parseTree(text []byte, maxDepth int) (*Node, error) {
	d := xml.NewDecoder(bytes.NewReader(text))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	// Bytes are UTF-8 by now (toUTF8), whatever a later declaration says.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }

	var stack []*Node
	var path []string
	var root *Node
	fail := func(err error, cause error) error {
		line, _ := d.InputPos()
		return &ParseError{Path: strings.Join(path, "/"), Line: line, Err: err, Cause: cause}
	}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil, fail(ErrMalformed, io.ErrUnexpectedEOF)
		}
		if err != nil {
			return nil, fail(ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return nil, fail(ErrTooDeep, nil)
			}
			n := Node{Name: qname(t.Name)}
			for _, a := range t.Attr {
				n.Attrs = append(n.Attrs, Attr{Name: qname(a.Name), Value: a.Value})
			}
			// encoding/xml lets some names through that XML does not
			// allow (an attribute named ":"); such input is not
			// well-formed, and could not be written back.
			if !isXMLName(n.Name) {
				return nil, fail(ErrMalformed, &xml.SyntaxError{Msg: "invalid element name"})
			}
			for _, a := range n.Attrs {
				if !isXMLName(a.Name) {
					return nil, fail(ErrMalformed, &xml.SyntaxError{Msg: "invalid attribute name"})
				}
			}
			if len(stack) == 0 {
				root = &n
				stack = append(stack, root)
			} else {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
				stack = append(stack, &p.Children[len(p.Children)-1])
			}
			path = append(path, key(n.Name))
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, fail(ErrMalformed, nil)
			}
			top := stack[len(stack)-1]
			if !strings.EqualFold(local(top.Name), t.Name.Local) {
				return nil, fail(ErrMalformed, &xml.SyntaxError{Msg: "element closed by an end tag of another name", Line: 0})
			}
			stack = stack[:len(stack)-1]
			path = path[:len(path)-1]
			if len(stack) == 0 {
				return root, nil
			}
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			p := stack[len(stack)-1]
			if k := len(p.Children); k > 0 && p.Children[k-1].Name == "" {
				p.Children[k-1].Text += string(t)
			} else {
				p.Children = append(p.Children, Node{Text: string(t)})
			}
		}
		// Comments, processing instructions and directives (DOCTYPE)
		// carry no lead data and are skipped.
	}
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// local strips a namespace prefix.
func local(name string) string {
	if i := strings.LastIndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// key is the name used to match a DTD name: local part, lower-cased.
func key(name string) string { return strings.ToLower(local(name)) }
