// Package photos reads what the composer and the lists show of an attached
// image (its name, size, type and dimensions) and checks images against
// what each network takes, before a post is queued rather than when the
// network refuses it.
package photos

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	_ "image/gif" // dimensions of GIF, JPEG and PNG files
	_ "image/jpeg"
	_ "image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/dustin/go-humanize"

	"github.com/crier-app/crier/platforms"
	"github.com/crier-app/crier/store"
)

// Info is what a file on disk holds, as far as posting it goes.
type Info struct {
	Path          string
	Size          int64
	Mime          string // from the file's first bytes, not its name
	Width, Height int    // 0 when the format's dimensions can't be read
}

// Name is the file's name without its folder.
func (i Info) Name() string { return filepath.Base(i.Path) }

// Dimensions is "1200×800", or "" when unknown.
func (i Info) Dimensions() string {
	if i.Width == 0 || i.Height == 0 {
		return ""
	}
	return fmt.Sprintf("%d×%d", i.Width, i.Height)
}

// Summary is "rye.jpg · 245 kB · 1200×800".
func (i Info) Summary() string {
	parts := []string{i.Name(), Bytes(i.Size)}
	if d := i.Dimensions(); d != "" {
		parts = append(parts, d)
	}
	return strings.Join(parts, " · ")
}

// Bytes is a size as people read it, in the decimal units the networks'
// limits are given in ("2 MB" is 2,000,000 bytes).
func Bytes(n int64) string { return humanize.Bytes(uint64(max(n, 0))) }

// IsImage reports whether a type is an image type.
func IsImage(mime string) bool { return strings.HasPrefix(mime, "image/") }

// Inspect reads a file's size, type and dimensions. It reads the start of
// the file only.
func Inspect(path string) (Info, error) {
	info := Info{Path: path}
	f, err := os.Open(path)
	if err != nil {
		return info, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return info, err
	}
	if st.IsDir() {
		return info, fmt.Errorf("%s is a folder, not an image", path)
	}
	info.Size = st.Size()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return info, err
	}
	head = head[:n]
	info.Mime = sniff(head)
	switch info.Mime {
	case "image/jpeg", "image/png", "image/gif":
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return info, err
		}
		if cfg, _, err := image.DecodeConfig(f); err == nil {
			info.Width, info.Height = cfg.Width, cfg.Height
		}
	case "image/webp":
		info.Width, info.Height = webpSize(head)
	}
	return info, nil
}

// sniff names a file's type from its first bytes: what Go's content sniffer
// knows, and the ISO media formats it does not (HEIC, HEIF, AVIF), which
// phones save photos as.
func sniff(head []byte) string {
	if len(head) >= 12 && string(head[4:8]) == "ftyp" {
		switch string(head[8:12]) {
		case "avif", "avis":
			return "image/avif"
		case "heic", "heix", "heim", "heis":
			return "image/heic"
		case "mif1", "msf1":
			return "image/heif"
		}
	}
	mime := http.DetectContentType(head)
	if i := strings.IndexByte(mime, ';'); i >= 0 {
		mime = mime[:i]
	}
	return mime
}

// webpSize reads a WebP file's dimensions from its header (RIFF, then a
// VP8, VP8L or VP8X chunk), or 0, 0.
func webpSize(b []byte) (int, int) {
	if len(b) < 30 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return 0, 0
	}
	chunk := b[12:]
	switch string(chunk[0:4]) {
	case "VP8 ": // lossy: a key frame's start code, then 14-bit width and height
		d := chunk[8:]
		if len(d) < 10 || !bytes.Equal(d[3:6], []byte{0x9d, 0x01, 0x2a}) {
			return 0, 0
		}
		return int(binary.LittleEndian.Uint16(d[6:8]) & 0x3fff), int(binary.LittleEndian.Uint16(d[8:10]) & 0x3fff)
	case "VP8L": // lossless: a signature byte, then 14 bits each of width-1 and height-1
		d := chunk[8:]
		if len(d) < 5 || d[0] != 0x2f {
			return 0, 0
		}
		v := binary.LittleEndian.Uint32(d[1:5])
		return int(v&0x3fff) + 1, int(v>>14&0x3fff) + 1
	case "VP8X": // extended: 24-bit canvas width-1 and height-1
		d := chunk[8:]
		if len(d) < 10 {
			return 0, 0
		}
		w := int(d[4]) | int(d[5])<<8 | int(d[6])<<16
		h := int(d[7]) | int(d[8])<<8 | int(d[9])<<16
		return w + 1, h + 1
	}
	return 0, 0
}

// Target is one network a post goes to, with what it takes.
type Target struct {
	Platform string
	Name     string // as people read it: "Bluesky"
	Limits   platforms.Limits
}

// Problem is something wrong with a post's images for a network. A
// problem that Blocks stops the post from being queued; the others are
// warnings.
type Problem struct {
	Image  int // 1-based; 0 for the images as a whole
	Text   string
	Blocks bool
}

// Photo is an attached image: the stored media and what was read of its
// file (Err when it could not be read).
type Photo struct {
	store.Media
	Info Info
	Err  error
}

// Check lists what is wrong with images for targets, in the order a person
// would fix it: each image's own problems, then each network's.
func Check(images []Photo, targets []Target) []Problem {
	var out []Problem
	for i, im := range images {
		n := i + 1
		label := fmt.Sprintf("photo %d (%s)", n, filepath.Base(im.Path))
		if im.Err != nil {
			out = append(out, Problem{Image: n, Blocks: true, Text: label + ": " + readError(im.Err)})
			continue
		}
		if !IsImage(im.Info.Mime) {
			out = append(out, Problem{Image: n, Blocks: true, Text: fmt.Sprintf("%s is not an image (%s)", label, im.Info.Mime)})
			continue
		}
		if strings.TrimSpace(im.AltText) == "" {
			var needs []string
			for _, t := range targets {
				if t.Limits.AltTextRequired {
					needs = append(needs, t.Name)
				}
			}
			if len(needs) > 0 {
				out = append(out, Problem{Image: n, Blocks: true,
					Text: fmt.Sprintf("%s has no alt text, which %s needs: describe it (enter)", label, strings.Join(needs, " and "))})
			} else {
				out = append(out, Problem{Image: n,
					Text: fmt.Sprintf("%s has no alt text: people who can't see it won't know what it shows", label)})
			}
		}
		for _, t := range targets {
			l := t.Limits
			if types := l.ImageTypes; types != "" && !takes(types, im.Info.Mime) {
				out = append(out, Problem{Image: n, Blocks: true,
					Text: fmt.Sprintf("%s is %s, which %s doesn't take (it takes %s)", label, typeName(im.Info.Mime), t.Name, typeNames(types))})
			}
			if l.MaxImageBytes > 0 && im.Info.Size > l.MaxImageBytes {
				out = append(out, Problem{Image: n, Blocks: true,
					Text: fmt.Sprintf("%s is %s; %s takes images up to %s", label, Bytes(im.Info.Size), t.Name, Bytes(l.MaxImageBytes))})
			}
			if px := int64(im.Info.Width) * int64(im.Info.Height); l.MaxImagePixels > 0 && px > l.MaxImagePixels {
				out = append(out, Problem{Image: n, Blocks: true,
					Text: fmt.Sprintf("%s is %s pixels; %s takes up to %.1f megapixels", label, im.Info.Dimensions(), t.Name,
						float64(l.MaxImagePixels)/1e6)})
			}
			if got := l.AltLength(im.AltText); l.MaxAltText > 0 && got > l.MaxAltText {
				out = append(out, Problem{Image: n, Blocks: true,
					Text: fmt.Sprintf("%s: alt text is %d characters, %d over %s's %d", label, got, got-l.MaxAltText, t.Name, l.MaxAltText)})
			}
		}
	}
	for _, t := range targets {
		if max := t.Limits.MaxImages; max > 0 && len(images) > max {
			out = append(out, Problem{Blocks: true,
				Text: fmt.Sprintf("%s takes at most %d images; this post has %d", t.Name, max, len(images))})
		}
		if min := t.Limits.MinImages; len(images) < min {
			need, has := "a photo", "none"
			if min > 1 {
				need = fmt.Sprintf("at least %d photos", min)
			}
			if len(images) > 0 {
				has = fmt.Sprint(len(images))
			}
			out = append(out, Problem{Blocks: true,
				Text: fmt.Sprintf("%s posts need %s; this post has %s", t.Name, need, has)})
		}
	}
	return out
}

func readError(err error) string {
	switch {
	case os.IsNotExist(err):
		return "the file is not there any more (moved or deleted?)"
	case os.IsPermission(err):
		return "crier may not read the file"
	}
	return "can't read it: " + err.Error()
}

func takes(types, mime string) bool {
	for _, t := range strings.Split(types, ",") {
		if strings.TrimSpace(t) == mime {
			return true
		}
	}
	return false
}

// typeName is a type as people call it: "image/jpeg" is JPEG.
func typeName(mime string) string {
	t := strings.ToUpper(strings.TrimPrefix(mime, "image/"))
	switch t {
	case "WEBP":
		return "WebP"
	case "X-ICON", "VND.MICROSOFT.ICON":
		return "an icon"
	}
	return t
}

func typeNames(types string) string {
	var names []string
	for _, t := range strings.Split(types, ",") {
		names = append(names, typeName(strings.TrimSpace(t)))
	}
	return strings.Join(names, ", ")
}

// LooksLikeImage reports whether a file name ends as an image some network
// takes does: what the attach prompt offers.
func LooksLikeImage(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".heif", ".avif":
		return true
	}
	return false
}
