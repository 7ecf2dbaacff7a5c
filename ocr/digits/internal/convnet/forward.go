package convnet

import "math"

// Scratch holds one sample's activations: what Forward computes and Backward
// reads, and Backward's own intermediate gradients. It is large (about
// 300 KB) and meant to be reused; the zero value is ready to use.
type Scratch struct {
	col1 [Side1 * Side1 * patch1]float32 // input patches, patch-major
	a1   [C1 * Side1 * Side1]float32     // first convolution, before pooling
	p1   [C1 * Pool1 * Pool1]float32     // pooled and rectified
	arg1 [C1 * Pool1 * Pool1]int32       // pixel of a1 that won each pooled cell, -1 if it was ≤ 0

	col2 [Side2 * Side2 * patch2]float32
	a2   [C2 * Side2 * Side2]float32
	p2   [Flat]float32
	arg2 [Flat]int32

	h      [Hidden]float32
	logits [Out]float32

	// gradients
	dh    [Hidden]float32
	dp2   [Flat]float32
	dcol2 [Side2 * Side2 * patch2]float32
	dp1   [C1 * Pool1 * Pool1]float32
}

// Forward runs the network on one input (InSide×InSide values, row-major) and
// returns its logits, which live in s until the next Forward on s.
func Forward(p *Params, s *Scratch, in []float32) []float32 {
	in = in[:InSide*InSide]

	// First convolution.
	for py := range Side1 {
		for px := range Side1 {
			dst := s.col1[(py*Side1+px)*patch1:][:patch1]
			for ky := range Kernel {
				copy(dst[ky*Kernel:ky*Kernel+Kernel], in[(py+ky)*InSide+px:][:Kernel])
			}
		}
	}
	gemmNT(s.a1[:], p.W1, s.col1[:], p.B1, C1, Side1*Side1, patch1)
	pool(s.p1[:], s.arg1[:], s.a1[:], C1, Side1)

	// Second convolution.
	for py := range Side2 {
		for px := range Side2 {
			dst := s.col2[(py*Side2+px)*patch2:][:patch2]
			for c := range C1 {
				src := s.p1[c*Pool1*Pool1:]
				for ky := range Kernel {
					copy(dst[c*patch1+ky*Kernel:][:Kernel], src[(py+ky)*Pool1+px:][:Kernel])
				}
			}
		}
	}
	gemmNT(s.a2[:], p.W2, s.col2[:], p.B2, C2, Side2*Side2, patch2)
	pool(s.p2[:], s.arg2[:], s.a2[:], C2, Side2)

	// Dense layers.
	for j := range Hidden {
		v := p.B3[j] + dot(p.W3[j*Flat:][:Flat], s.p2[:])
		s.h[j] = max(v, 0)
	}
	for j := range Out {
		s.logits[j] = p.B4[j] + dot(p.W4[j*Hidden:][:Hidden], s.h[:])
	}
	return s.logits[:]
}

// Softmax writes the probabilities of logits into probs (both of length Out).
func Softmax(probs, logits []float32) {
	m := logits[0]
	for _, v := range logits[1:] {
		m = max(m, v)
	}
	var sum float64
	for i, v := range logits {
		e := math.Exp(float64(v - m))
		probs[i] = float32(e)
		sum += e
	}
	for i := range probs {
		probs[i] = float32(float64(probs[i]) / sum)
	}
}

// pool max-pools each of ch planes of side×side values by 2, rectifies the
// maximum, and records which pixel of the plane won (-1 when the maximum was
// not positive, so that no gradient flows back through it).
func pool(dst []float32, arg []int32, src []float32, ch, side int) {
	half := side / 2
	for c := range ch {
		plane := src[c*side*side:][:side*side]
		for qy := range half {
			for qx := range half {
				i := 2*qy*side + 2*qx
				best, bi := plane[i], i
				if v := plane[i+1]; v > best {
					best, bi = v, i+1
				}
				if v := plane[i+side]; v > best {
					best, bi = v, i+side
				}
				if v := plane[i+side+1]; v > best {
					best, bi = v, i+side+1
				}
				o := c*half*half + qy*half + qx
				if best > 0 {
					dst[o], arg[o] = best, int32(bi)
				} else {
					dst[o], arg[o] = 0, -1
				}
			}
		}
	}
}
