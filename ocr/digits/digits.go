package digits

import (
	_ "embed"
	"errors"
	"fmt"
	"sync"

	"github.com/sohoa/sohoa/ocr/digits/internal/convnet"
)

// The classes and the input frame.
const (
	Size    = 28 // side of the input frame, MNIST's
	Classes = 11 // digits 0–9, then Reject
	// Reject is the class of whatever is not one digit: a letter,
	// punctuation, a dot or dash of a leader line, a blot, specks, two
	// digits run together, part of a digit.
	Reject = 10
)

// Input is one normalised character: Size×Size values from 0 (paper) to 1
// (ink), row-major. Normalize makes one from an ink image.
type Input [Size * Size]float32

// ErrWeights is wrapped by Parse's errors: the data is not a weights file
// for this network (wrong format, version or shapes, truncated, corrupt).
var ErrWeights = errors.New("digits: bad weights")

// Model is a trained network. It is immutable, and Predict is safe for
// concurrent use by any number of goroutines.
type Model struct {
	params  *convnet.Params
	scratch sync.Pool // of *convnet.Scratch, one per concurrent Predict
}

//go:embed weights.bin
var weights []byte

var defaultModel = sync.OnceValue(func() *Model {
	m, err := Parse(weights)
	if err != nil {
		panic(fmt.Sprintf("digits: the embedded weights.bin: %v", err)) // a broken build, not a run-time condition
	}
	return m
})

// Default returns the model trained by ./ocr/digits/train and embedded in
// the binary. It is parsed on first use, once per process; every call returns
// the same *Model.
func Default() *Model { return defaultModel() }

// Parse reads a weights file (the format is documented in doc.go). Its
// errors wrap ErrWeights.
func Parse(data []byte) (*Model, error) {
	p, err := convnet.Unmarshal(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrWeights, err)
	}
	return &Model{params: p}, nil
}

// Predict returns the probability of each class (digits 0–9, then Reject)
// for one normalised character; they sum to 1. It allocates nothing once
// warm (scratch space is pooled).
func (m *Model) Predict(in *Input) [Classes]float32 {
	s, _ := m.scratch.Get().(*convnet.Scratch)
	if s == nil {
		s = new(convnet.Scratch)
	}
	var probs [Classes]float32
	convnet.Softmax(probs[:], convnet.Forward(m.params, s, in[:]))
	m.scratch.Put(s)
	return probs
}

// Best returns the most probable class of probs and its probability.
func Best(probs [Classes]float32) (class int, p float32) {
	for i, v := range probs {
		if v > p {
			class, p = i, v
		}
	}
	return class, p
}

// Compile-time checks that the library's frame and classes are the network's.
var (
	_ [Size - convnet.InSide]struct{}
	_ [convnet.InSide - Size]struct{}
	_ [Classes - convnet.Out]struct{}
	_ [convnet.Out - Classes]struct{}
)
