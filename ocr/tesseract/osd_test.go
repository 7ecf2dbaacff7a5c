package tesseract

import (
	"image"
	"image/draw"
	"testing"

	"github.com/sohoa/sohoa/fixtures/synth"
)

func TestOSDTurnsPagesUpright(t *testing.T) {
	osd, err := NewOSD("")
	if err != nil {
		t.Fatal(err)
	}
	defer osd.Close()
	gen, err := synth.NewGenerator()
	if err != nil {
		t.Fatal(err)
	}
	for i, rot := range []int{0, 90, 180, 270} {
		_, imgs, err := gen.Render(synth.Options{Seed: uint64(10 + i), Rotation: rot, Mode: synth.Gray})
		if err != nil {
			t.Fatal(err)
		}
		got, conf, err := osd.Detect(toGray(imgs[0]), 300)
		if err != nil {
			t.Fatal(err)
		}
		if want := (360 - rot) % 360; got != want {
			t.Errorf("page turned %d° clockwise: OSD says turn %d° (confidence %.1f), want %d°", rot, got, conf, want)
		}
	}
}

func toGray(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
	return g
}
