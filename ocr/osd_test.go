package ocr

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestWorkerRefusesToStartWithoutOSD: with Tesseract's languages but not
// its orientation data, the worker says what to install and does not
// start, rather than read every sideways page as it lies.
func TestWorkerRefusesToStartWithoutOSD(t *testing.T) {
	// tesseract --list-langs names the folder it reads: List of available
	// languages in "/usr/share/tesseract-ocr/5/tessdata/" (N):
	out, err := exec.Command("tesseract", "--list-langs").CombinedOutput()
	if err != nil {
		t.Fatalf("tesseract (make test installs it): %v\n%s", err, out)
	}
	_, rest, _ := strings.Cut(string(out), `"`)
	system, _, ok := strings.Cut(rest, `"`)
	if !ok {
		t.Fatalf("no tessdata folder in %q", out)
	}
	dir := t.TempDir()
	for _, f := range []string{"vie.traineddata", "eng.traineddata"} {
		if err := os.Symlink(filepath.Join(system, f), filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatalf("Tesseract's %s (make test installs it): %v", f, err)
		}
	}
	t.Setenv("TESSDATA_PREFIX", dir)
	w := New(Config{Workers: 1}, nil, nil, nil, slog.New(slog.DiscardHandler))
	err = w.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "tesseract-ocr-osd") {
		t.Fatalf("Run without osd.traineddata: %v; want it to refuse and name tesseract-ocr-osd", err)
	}
	t.Log(err)
}
