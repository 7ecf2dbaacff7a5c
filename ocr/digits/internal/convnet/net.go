package convnet

import "math"

// Shapes of the network. The weights file records them and Unmarshal
// refuses a file whose shapes differ.
const (
	InSide = 28 // input frame side
	Kernel = 5  // convolution kernel side

	C1    = 16                  // channels of the first convolution
	Side1 = InSide - Kernel + 1 // 24: first convolution's output side
	Pool1 = Side1 / 2           // 12: after the first max-pool

	C2    = 32                 // channels of the second convolution
	Side2 = Pool1 - Kernel + 1 // 8: second convolution's output side
	Pool2 = Side2 / 2          // 4: after the second max-pool

	Flat   = C2 * Pool2 * Pool2 // 512 inputs of the first dense layer
	Hidden = 128                // units of the hidden dense layer
	Out    = 11                 // logits: digits 0–9 and reject

	patch1 = Kernel * Kernel      // 25 inputs of one first-layer filter
	patch2 = C1 * Kernel * Kernel // 400 inputs of one second-layer filter
)

// Sizes of the parameter tensors, in the order they are stored.
const (
	nW1 = C1 * patch1
	nB1 = C1
	nW2 = C2 * patch2
	nB2 = C2
	nW3 = Hidden * Flat
	nB3 = Hidden
	nW4 = Out * Hidden
	nB4 = Out

	// NumParams is the number of trainable parameters (80,331).
	NumParams = nW1 + nB1 + nW2 + nB2 + nW3 + nB3 + nW4 + nB4
)

// Params holds every parameter of the network in one slice (Data), with named
// views into it. A gradient has the same shape and is also a Params.
//
// W1 is [C1][1][Kernel][Kernel], W2 [C2][C1][Kernel][Kernel], W3 [Hidden][Flat]
// (Flat indexed channel, row, column) and W4 [Out][Hidden], all row-major.
type Params struct {
	Data                           []float32
	W1, B1, W2, B2, W3, B3, W4, B4 []float32
}

// New returns zeroed parameters.
func New() *Params {
	p := &Params{Data: make([]float32, NumParams)}
	d := p.Data
	take := func(n int) []float32 {
		s := d[:n:n]
		d = d[n:]
		return s
	}
	p.W1, p.B1 = take(nW1), take(nB1)
	p.W2, p.B2 = take(nW2), take(nB2)
	p.W3, p.B3 = take(nW3), take(nB3)
	p.W4, p.B4 = take(nW4), take(nB4)
	return p
}

// Init fills the weights with He-initialised values (normal, variance 2/fan-in)
// drawn from norm, a source of standard normal numbers, and zeroes the biases.
func (p *Params) Init(norm func() float64) {
	fill := func(w []float32, fanIn int) {
		sd := math.Sqrt(2 / float64(fanIn))
		for i := range w {
			w[i] = float32(norm() * sd)
		}
	}
	clear(p.Data)
	fill(p.W1, patch1)
	fill(p.W2, patch2)
	fill(p.W3, Flat)
	fill(p.W4, Hidden)
}

// Zero clears every parameter (used to reset a gradient).
func (p *Params) Zero() { clear(p.Data) }

// Add adds q to p, element by element.
func (p *Params) Add(q *Params) {
	d, s := p.Data, q.Data[:len(p.Data)]
	for i := range d {
		d[i] += s[i]
	}
}
