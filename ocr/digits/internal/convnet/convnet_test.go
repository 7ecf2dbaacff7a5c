package convnet

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"
)

func randomNet(seed uint64) (*Params, []float32) {
	rng := rand.New(rand.NewPCG(seed, 1))
	p := New()
	p.Init(rng.NormFloat64)
	// Biases away from zero, so that fewer units sit near the ReLU's kink.
	for _, b := range [][]float32{p.B1, p.B2, p.B3} {
		for i := range b {
			b[i] = 0.1 * float32(rng.NormFloat64())
			if b[i] < 0 {
				b[i] -= 0.05
			} else {
				b[i] += 0.05
			}
		}
	}
	in := make([]float32, InSide*InSide)
	for i := range in { // no two pixels equal: max-pool ties are kinks too
		in[i] = rng.Float32()
	}
	return p, in
}

func loss(p *Params, in []float32, label int) float64 {
	var s Scratch
	lg := Forward(p, &s, in)
	pr := make([]float32, Out)
	Softmax(pr, lg)
	return -math.Log(float64(pr[label]))
}

// TestGradient compares Backward with central differences of the loss on
// parameters drawn from every tensor.
func TestGradient(t *testing.T) {
	p, in := randomNet(7)
	const label = 3
	g := New()
	var s Scratch
	Forward(p, &s, in)
	dl := make([]float32, Out)
	l := Backward(p, g, &s, label, dl)
	if want := loss(p, in, label); math.Abs(float64(l)-want) > 1e-4 {
		t.Fatalf("Backward's loss %v, Forward's %v", l, want)
	}

	rng := rand.New(rand.NewPCG(8, 1))
	names := []string{"W1", "B1", "W2", "B2", "W3", "B3", "W4", "B4"}
	const eps = 1e-3
	bad, total := 0, 0
	for ti, tensor := range p.tensors() {
		grad := g.tensors()[ti]
		for range 40 {
			i := rng.IntN(len(tensor))
			old := tensor[i]
			tensor[i] = old + eps
			up := loss(p, in, label)
			tensor[i] = old - eps
			down := loss(p, in, label)
			tensor[i] = old
			num := (up - down) / (2 * eps)
			total++
			if d := math.Abs(float64(grad[i]) - num); d > 2e-3+0.05*math.Abs(num) {
				bad++
				t.Logf("%s[%d]: backward %.6f, numeric %.6f", names[ti], i, grad[i], num)
			}
		}
	}
	// A step across a ReLU or max-pool kink can spoil an occasional
	// difference; a wrong gradient spoils most of a tensor.
	if bad > total/50 {
		t.Errorf("%d of %d gradients differ from the numeric ones", bad, total)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	p, _ := randomNet(1)
	b := Marshal(p)
	if want := 12 + 4 + NumParams*4 + 8*4 + 16*4; len(b) != want {
		t.Errorf("file is %d bytes, want %d", len(b), want)
	}
	q, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(Marshal(q), b) {
		t.Error("decoded parameters encode differently")
	}
}

func TestUnmarshalRejects(t *testing.T) {
	p, _ := randomNet(1)
	good := Marshal(p)
	flip := bytes.Clone(good)
	flip[len(flip)/2] ^= 0x10
	nan := New()
	nan.W3[5] = float32(math.NaN())
	longer := append(bytes.Clone(good[:len(good)-4]), 0, 0, 0, 0)
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"magic only", []byte("SHDG")},
		{"garbage", bytes.Repeat([]byte{0xA5}, len(good))},
		{"truncated header", good[:20]},
		{"truncated tensor", good[:len(good)/2]},
		{"last byte missing", good[:len(good)-1]},
		{"bit flipped", flip},
		{"bytes appended", append(bytes.Clone(good), 1, 2, 3, 4)},
		{"checksum wrong", longer},
		{"not finite", Marshal(nan)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Unmarshal(tt.data); err == nil {
				t.Error("accepted")
			}
		})
	}
}

func BenchmarkForward(b *testing.B) {
	p, in := randomNet(1)
	var s Scratch
	for b.Loop() {
		Forward(p, &s, in)
	}
}

func BenchmarkForwardBackward(b *testing.B) {
	p, in := randomNet(1)
	g := New()
	var s Scratch
	dl := make([]float32, Out)
	for b.Loop() {
		Forward(p, &s, in)
		Backward(p, g, &s, 3, dl)
	}
}
