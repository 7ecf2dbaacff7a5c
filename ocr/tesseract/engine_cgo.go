//go:build cgo

package tesseract

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"strconv"
	"strings"
	"sync"

	"github.com/otiai10/gosseract/v2"
)

// Config of an engine.
type Config struct {
	// Languages, default "vie".
	Languages []string
	// TessdataPrefix overrides where traineddata files are looked up.
	TessdataPrefix string
}

// Engine is one Tesseract instance. Not safe for concurrent use.
type Engine struct {
	client *gosseract.Client
	name   string
	dpi    int // user_defined_dpi as last set
}

// initMu serialises engine start-up: while Tesseract initialises, gosseract
// points the process's stderr (file descriptor 2) at /dev/null and then
// restores it, which is not safe to do from two goroutines at once (the
// second would "restore" /dev/null for good).
var initMu sync.Mutex

// New starts an engine and checks that its languages are installed. The
// engine is fully initialised when New returns.
func New(cfg Config) (*Engine, error) {
	initMu.Lock()
	defer initMu.Unlock()
	if len(cfg.Languages) == 0 {
		cfg.Languages = []string{"vie"}
	}
	installed, err := gosseract.GetAvailableLanguages()
	if err != nil {
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	for _, l := range cfg.Languages {
		if !contains(installed, l) {
			return nil, fmt.Errorf("tesseract: language %q is not installed (have %s): apt-get install tesseract-ocr-%s",
				l, strings.Join(installed, ", "), l)
		}
	}
	c := gosseract.NewClient()
	if cfg.TessdataPrefix != "" {
		if err := c.SetTessdataPrefix(cfg.TessdataPrefix); err != nil {
			c.Close()
			return nil, fmt.Errorf("tesseract: %w", err)
		}
	}
	if err := c.SetLanguage(cfg.Languages...); err != nil {
		c.Close()
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	// Scans are at least 200 dpi; without this, images whose files carry no
	// resolution are treated as 70 dpi and small print is lost.
	if err := c.SetVariable("user_defined_dpi", "300"); err != nil {
		c.Close()
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	// A confidence for every character, not only every word: the digits
	// of a document number are judged one by one (package docmeta).
	if err := c.SetVariable("hocr_char_boxes", "1"); err != nil {
		c.Close()
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	// Tesseract's own chatter ("Estimating resolution as …") goes nowhere;
	// sohoa reports what matters in its own log.
	if err := c.DisableOutput(); err != nil {
		c.Close()
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	// Initialise now, under initMu, rather than lazily on the first page.
	if err := c.SetImageFromBytes(blankPNG); err != nil {
		c.Close()
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	if _, err := c.Text(); err != nil {
		c.Close()
		return nil, fmt.Errorf("tesseract: start: %w", err)
	}
	// Tesseract's library default is to take the page for one block of
	// text; its command line analyses the layout (blocks, columns,
	// pictures), which keeps seals, signatures and rules out of the lines
	// and reads better. Do as the command line does (after Init, which resets it).
	if err := c.SetPageSegMode(gosseract.PSM_AUTO); err != nil {
		c.Close()
		return nil, fmt.Errorf("tesseract: %w", err)
	}

	return &Engine{client: c, name: "tesseract " + gosseract.Version() + " " + strings.Join(cfg.Languages, "+"), dpi: 300}, nil
}

// blankPNG is a small white image, read once to initialise an engine.
var blankPNG = func() []byte {
	img := image.NewGray(image.Rect(0, 0, 32, 32))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}()

// Name says which engine and languages read the page, e.g. "tesseract 5.3.0 vie".
func (e *Engine) Name() string { return e.name }

// Recognize reads an encoded image (PNG, JPEG, TIFF, PNM: anything
// leptonica decodes) scanned at dpi (0: 300) and returns its lines and words.
func (e *Engine) Recognize(img []byte, dpi int) (*Page, error) {
	if len(img) == 0 {
		return nil, errors.New("tesseract: empty image")
	}
	if dpi <= 0 {
		dpi = 300
	}
	if dpi != e.dpi {
		// Tesseract sizes its expectations of text by the resolution; the
		// PNM images sohoa hands it carry none.
		if err := e.client.SetVariable("user_defined_dpi", strconv.Itoa(dpi)); err != nil {
			return nil, fmt.Errorf("tesseract: %w", err)
		}
		e.dpi = dpi
	}
	if err := e.client.SetImageFromBytes(img); err != nil {
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	out, err := e.client.HOCRText()
	if err != nil {
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	return parseHOCR(strings.NewReader(out))
}

// Line reads an encoded image that holds one line of text (a blank's
// handwriting cleaned of print, the printed symbol beside it) as one line,
// and returns its text, NFC, and the least confidence of its words (0 to
// 100; 0 when it read nothing). The engine reads pages again afterwards.
func (e *Engine) Line(img []byte, dpi int) (string, float64, error) {
	if err := e.client.SetPageSegMode(gosseract.PSM_SINGLE_LINE); err != nil {
		return "", 0, fmt.Errorf("tesseract: %w", err)
	}
	defer e.client.SetPageSegMode(gosseract.PSM_AUTO)
	page, err := e.Recognize(img, dpi)
	if err != nil {
		return "", 0, err
	}
	var words []string
	conf := -1.0
	for _, l := range page.Lines {
		for _, w := range l.Words {
			words = append(words, w.Text)
			if conf < 0 || w.Conf < conf {
				conf = w.Conf
			}
		}
	}
	return strings.Join(words, " "), max(conf, 0), nil
}

// Close releases the engine.
func (e *Engine) Close() error { return e.client.Close() }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
