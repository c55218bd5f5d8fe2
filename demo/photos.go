package demo

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
)

// The demo's photos are small pictures drawn here, written beside the
// database when it is built, so its posts carry images that exist: the
// composer, the drafts list and the agenda show their size and dimensions,
// and a post queued with one can go out.

// photoDir is where a demo database's photos are written.
func photoDir(dbPath string) string { return filepath.Join(filepath.Dir(dbPath), "demo-photos") }

// demoPhoto is one picture: its file name and what it shows (a loaf, a
// tray, a card), drawn as a shape in colour on a plain ground.
type demoPhoto struct {
	name             string
	ground, fg, line color.RGBA
	shape            func(x, y, w, h int) bool
}

func ellipse(cx, cy, rx, ry float64) func(x, y, w, h int) bool {
	return func(x, y, w, h int) bool {
		dx, dy := (float64(x)-cx*float64(w))/(rx*float64(w)), (float64(y)-cy*float64(h))/(ry*float64(h))
		return dx*dx+dy*dy <= 1
	}
}

var (
	crust = color.RGBA{150, 90, 40, 255}
	bench = color.RGBA{225, 205, 170, 255}
	score = color.RGBA{235, 200, 140, 255}
)

// demoPhotos are in the order of photoAlts: photo i shows what alt text i
// says.
func demoPhotos() []demoPhoto {
	rect := func(x0, y0, x1, y1 float64) func(x, y, w, h int) bool {
		return func(x, y, w, h int) bool {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			return fx >= x0 && fx <= x1 && fy >= y0 && fy <= y1
		}
	}
	return []demoPhoto{
		{"cooling-rack.png", color.RGBA{200, 200, 205, 255}, crust, score, ellipse(0.5, 0.5, 0.38, 0.28)},
		{"fresh-tray.png", color.RGBA{60, 60, 65, 255}, color.RGBA{215, 150, 70, 255}, score, rect(0.1, 0.2, 0.9, 0.8)},
		{"shaping.png", bench, color.RGBA{240, 230, 210, 255}, crust, ellipse(0.45, 0.55, 0.3, 0.25)},
		{"counter.png", color.RGBA{250, 235, 200, 255}, color.RGBA{170, 110, 60, 255}, score, rect(0.05, 0.55, 0.95, 0.95)},
		{"crumb.png", color.RGBA{120, 80, 50, 255}, color.RGBA{240, 220, 180, 255}, crust, ellipse(0.5, 0.5, 0.42, 0.36)},
		{"loyalty-card.png", color.RGBA{250, 245, 235, 255}, color.RGBA{180, 60, 60, 255}, score, rect(0.15, 0.25, 0.85, 0.75)},
	}
}

// photoSize is the demo pictures' size: small files, real dimensions.
const photoW, photoH = 240, 160

// writePhotos draws the demo's pictures into dir.
func writePhotos(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("photos: %w", err)
	}
	for _, p := range demoPhotos() {
		img := image.NewRGBA(image.Rect(0, 0, photoW, photoH))
		for y := range photoH {
			for x := range photoW {
				c := p.ground
				if p.shape(x, y, photoW, photoH) {
					c = p.fg
					if (x+y)%23 < 2 { // a few scores across it
						c = p.line
					}
				}
				img.SetRGBA(x, y, c)
			}
		}
		f, err := os.Create(filepath.Join(dir, p.name))
		if err != nil {
			return fmt.Errorf("photos: %w", err)
		}
		err = png.Encode(f, img)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("photos: %w", err)
		}
	}
	return nil
}
