package platforms

import "os"

// replaceFile writes data to a temporary file in dir and renames it over
// path, which Windows does in one step. (renameio, used elsewhere, does
// not support Windows.)
func replaceFile(dir, path string, data []byte) error {
	f, err := os.CreateTemp(dir, ".crier-*")
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
