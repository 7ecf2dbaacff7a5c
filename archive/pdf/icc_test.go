package pdf

import (
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/internal/need"
)

// TestICCProfileStructure checks the generated profile by hand against
// ICC.1 (version 2): the header, the tag table, and each tag element.
func TestICCProfileStructure(t *testing.T) {
	p := srgbProfile()
	be := binary.BigEndian
	s15 := func(b []byte) float64 { return float64(int32(be.Uint32(b))) / 65536 }

	if n := be.Uint32(p); int(n) != len(p) || len(p)%4 != 0 {
		t.Errorf("header size %d, profile %d bytes (must be equal, a multiple of 4)", n, len(p))
	}
	for _, f := range []struct {
		at   int
		want string
	}{{12, "mntr"}, {16, "RGB "}, {20, "XYZ "}, {36, "acsp"}} {
		if got := string(p[f.at : f.at+4]); got != f.want {
			t.Errorf("header bytes %d-%d %q, want %q", f.at, f.at+3, got, f.want)
		}
	}
	if v := be.Uint32(p[8:]); v>>24 != 2 {
		t.Errorf("version %08X, want 2.x", v)
	}
	if d := [6]uint16{be.Uint16(p[24:]), be.Uint16(p[26:]), be.Uint16(p[28:]), be.Uint16(p[30:]), be.Uint16(p[32:]), be.Uint16(p[34:])}; d != iccDate {
		t.Errorf("date %v", d)
	}
	if x, y, z := s15(p[68:]), s15(p[72:]), s15(p[76:]); !near(x, 0.9642, 1e-4) || y != 1 || !near(z, 0.8249, 1e-4) {
		t.Errorf("illuminant %.4f %.4f %.4f, want D50", x, y, z)
	}
	for i := 84; i < 128; i++ {
		if p[i] != 0 {
			t.Fatalf("profile ID / reserved byte %d is %d", i, p[i])
		}
	}

	n := int(be.Uint32(p[128:]))
	tags := map[string][]byte{}
	var order []string
	for i := range n {
		e := p[132+12*i:]
		sig, off, size := string(e[:4]), int(be.Uint32(e[4:])), int(be.Uint32(e[8:]))
		if off%4 != 0 || off < 132+12*n || off+size > len(p) {
			t.Fatalf("tag %s at %d+%d in a %d-byte profile", sig, off, size, len(p))
		}
		tags[sig] = p[off : off+size]
		order = append(order, sig)
	}
	if got, want := strings.Join(order, " "), "desc cprt wtpt rXYZ gXYZ bXYZ rTRC gTRC bTRC"; got != want {
		t.Errorf("tags %s, want %s", got, want)
	}

	desc := tags["desc"]
	if string(desc[:4]) != "desc" {
		t.Fatalf("desc type %q", desc[:4])
	}
	ascii := int(be.Uint32(desc[8:]))
	if got := string(desc[12 : 12+ascii]); got != srgbDescription+"\x00" {
		t.Errorf("description %q", got)
	}
	if want := 12 + ascii + 4 + 4 + 2 + 1 + 67; len(desc) != want {
		t.Errorf("desc is %d bytes, want %d", len(desc), want)
	}
	if cprt := tags["cprt"]; string(cprt[:4]) != "text" || cprt[len(cprt)-1] != 0 {
		t.Errorf("cprt %q", cprt)
	}

	xyz := func(sig string) [3]float64 {
		b := tags[sig]
		if len(b) != 20 || string(b[:4]) != "XYZ " {
			t.Fatalf("%s: %d bytes of type %q", sig, len(b), b[:4])
		}
		return [3]float64{s15(b[8:]), s15(b[12:]), s15(b[16:])}
	}
	// The Bradford-adapted sRGB colorants as published (e.g. in the sRGB
	// profiles of HP and the ICC), to four decimals.
	for sig, want := range map[string][3]float64{
		"rXYZ": {0.4361, 0.2225, 0.0139},
		"gXYZ": {0.3851, 0.7169, 0.0971},
		"bXYZ": {0.1431, 0.0606, 0.7141},
		"wtpt": {0.9505, 1.0000, 1.0891},
	} {
		got := xyz(sig)
		for i := range 3 {
			if !near(got[i], want[i], 6e-4) {
				t.Errorf("%s = %.4f, want %.4f", sig, got, want)
				break
			}
		}
	}
	// The colorants add up to the D50 white of the connection space.
	r, g, b := xyz("rXYZ"), xyz("gXYZ"), xyz("bXYZ")
	for i := range 3 {
		if sum := r[i] + g[i] + b[i]; !near(sum, iccD50[i], 3.0/65536) {
			t.Errorf("colorants sum to %.5f in component %d, want %.5f", sum, i, iccD50[i])
		}
	}

	// The three curves are one element: a 1024-entry table of the sRGB
	// transfer function, from 0 to 1, increasing.
	if &tags["rTRC"][0] != &tags["gTRC"][0] || &tags["rTRC"][0] != &tags["bTRC"][0] {
		t.Errorf("TRC tags do not share their element")
	}
	curv := tags["rTRC"]
	if string(curv[:4]) != "curv" {
		t.Fatalf("TRC type %q", curv[:4])
	}
	count := int(be.Uint32(curv[8:]))
	if count != srgbCurveEntries || len(curv) != 12+2*count {
		t.Fatalf("curv: %d entries in %d bytes", count, len(curv))
	}
	prev := -1
	for i := range count {
		v := int(be.Uint16(curv[12+2*i:]))
		if v < prev {
			t.Fatalf("curve decreases at entry %d", i)
		}
		prev = v
		x := float64(i) / float64(count-1)
		want := x / 12.92
		if x > 0.04045 {
			want = math.Pow((x+0.055)/1.055, 2.4)
		}
		if math.Abs(float64(v)/65535-want) > 1.0/65535 {
			t.Fatalf("curve entry %d = %d, want %.5f", i, v, want)
		}
	}
	if be.Uint16(curv[12:]) != 0 || be.Uint16(curv[len(curv)-2:]) != 0xFFFF {
		t.Errorf("curve does not run from 0 to 1")
	}
}

// TestICCProfileLittleCMS opens the profile with an independent parser,
// Little CMS through Pillow's ImageCms, and checks that converting colours
// from it to Little CMS's own built-in sRGB leaves them unchanged.
func TestICCProfileLittleCMS(t *testing.T) {
	python := "/usr/bin/python3"
	if err := exec.Command(python, "-c", "from PIL import ImageCms").Run(); err != nil {
		need.Missing(t, "python3-pil with ImageCms", "python3-pil")
	}
	path := filepath.Join(t.TempDir(), "srgb.icc")
	if err := os.WriteFile(path, srgbProfile(), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `
import sys
from PIL import Image, ImageCms
p = ImageCms.getOpenProfile(sys.argv[1])
print(ImageCms.getProfileDescription(p).strip())
print(p.profile.device_class, p.profile.xcolor_space.strip(), p.profile.connection_space.strip(), p.profile.version)
colors = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255), (0, 0, 0), (128, 128, 128), (10, 200, 90), (250, 30, 160)]
im = Image.new("RGB", (len(colors), 1))
im.putdata(colors)
out = ImageCms.applyTransform(im, ImageCms.buildTransform(p, ImageCms.createProfile("sRGB"), "RGB", "RGB", ImageCms.Intent.RELATIVE_COLORIMETRIC))
print(max(abs(a - b) for c, d in zip(colors, out.getdata()) for a, b in zip(c, d)))
`
	out, err := exec.Command(python, "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("Little CMS: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 {
		t.Fatalf("unexpected output:\n%s", out)
	}
	if lines[0] != srgbDescription {
		t.Errorf("description %q", lines[0])
	}
	if lines[1] != "mntr RGB XYZ 2.1" {
		t.Errorf("class, colour space, PCS, version: %q", lines[1])
	}
	if lines[2] != "0" && lines[2] != "1" {
		t.Errorf("colours differ by up to %s from Little CMS's sRGB", lines[2])
	}
}

// TestICCProfileArgyll reads the profile with a second independent parser,
// Argyll CMS's iccdump (Debian package argyll), where it is installed.
func TestICCProfileArgyll(t *testing.T) {
	path := filepath.Join(t.TempDir(), "srgb.icc")
	if err := os.WriteFile(path, srgbProfile(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := string(run(t, "iccdump", "-v3", path))
	for _, s := range []string{
		"Version      = 2.1.0", "Device Class = Display", "Color Space  = RGB", "Conn. Space  = XYZ",
		"ASCII data, length 18 chars", "No. elements = 1024",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("iccdump output lacks %q:\n%s", s, out)
		}
	}
	for _, bad := range []string{"rror", "arning"} {
		if strings.Contains(out, bad) {
			t.Errorf("iccdump reports a problem:\n%s", out)
		}
	}
}
