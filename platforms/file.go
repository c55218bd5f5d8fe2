package platforms

import (
	"os"
	"path/filepath"
)

// WritePrivate replaces the file at path with data, readable and writable
// by its owner only (0600, whatever the file had before), making its folder
// (0700) if need be: a Mastodon token, a Bluesky session with its rotating
// refresh token, an app password. The data goes to a temporary file beside
// it, synced, then renamed over it, and the folder is synced so the rename
// survives a crash too: a crash leaves the old file or the new one, never a
// mix or nothing.
func WritePrivate(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if err := replaceFile(dir, path, data); err != nil {
		return err
	}
	// Not every system can sync a folder; the file itself is safe already.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
