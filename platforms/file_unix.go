//go:build !windows

package platforms

import "github.com/google/renameio/v2"

// replaceFile writes data to a temporary file in dir and renames it over
// path, with renameio.
func replaceFile(dir, path string, data []byte) error {
	f, err := renameio.NewPendingFile(path, renameio.WithTempDir(dir), renameio.WithStaticPermissions(0o600))
	if err != nil {
		return err
	}
	defer f.Cleanup()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.CloseAtomicallyReplace()
}
