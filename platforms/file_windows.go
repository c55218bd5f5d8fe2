package platforms

import (
	"os"
	"path/filepath"
)

// WritePrivate replaces the file at path with data, readable and writable
// by its owner only, making its folder if need be. renameio, which writes
// it atomically elsewhere, does not support Windows; here a temporary file
// beside it is renamed over it, which Windows does in one step.
func WritePrivate(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // fails harmlessly once renamed
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
