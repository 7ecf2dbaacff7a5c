package convnet

import "math"

// Backward adds to g the gradient of the softmax cross-entropy loss of the
// sample that the last Forward(p, s, …) ran on, for the class label, and
// returns that loss. dlogits (length Out) receives the gradient with respect
// to the logits: softmax minus the one-hot label.
func Backward(p, g *Params, s *Scratch, label int, dlogits []float32) float32 {
	Softmax(dlogits, s.logits[:])
	loss := -log32(max(dlogits[label], 1e-30))
	dlogits[label]--

	// Output layer.
	clear(s.dh[:])
	for j, d := range dlogits[:Out] {
		g.B4[j] += d
		axpy(d, s.h[:], g.W4[j*Hidden:][:Hidden])
		axpy(d, p.W4[j*Hidden:][:Hidden], s.dh[:])
	}

	// Hidden layer.
	clear(s.dp2[:])
	for j, d := range s.dh {
		if d == 0 || s.h[j] <= 0 {
			continue
		}
		g.B3[j] += d
		axpy2(d, s.p2[:], g.W3[j*Flat:][:Flat], p.W3[j*Flat:][:Flat], s.dp2[:])
	}

	// Second convolution: only the pixel that won each pooled cell.
	clear(s.dcol2[:])
	for o := range C2 {
		for q := range Pool2 * Pool2 {
			cell := o*Pool2*Pool2 + q
			px, d := s.arg2[cell], s.dp2[cell]
			if px < 0 || d == 0 {
				continue
			}
			g.B2[o] += d
			axpy2(d, s.col2[int(px)*patch2:][:patch2], g.W2[o*patch2:][:patch2],
				p.W2[o*patch2:][:patch2], s.dcol2[int(px)*patch2:][:patch2])
		}
	}
	// Back from patches to the pooled first layer (col2im).
	clear(s.dp1[:])
	for py := range Side2 {
		for px := range Side2 {
			src := s.dcol2[(py*Side2+px)*patch2:][:patch2]
			for c := range C1 {
				dst := s.dp1[c*Pool1*Pool1:]
				for ky := range Kernel {
					row := dst[(py+ky)*Pool1+px:][:Kernel]
					for kx, v := range src[c*patch1+ky*Kernel:][:Kernel] {
						row[kx] += v
					}
				}
			}
		}
	}

	// First convolution.
	for o := range C1 {
		for q := range Pool1 * Pool1 {
			cell := o*Pool1*Pool1 + q
			px, d := s.arg1[cell], s.dp1[cell]
			if px < 0 || d == 0 {
				continue
			}
			g.B1[o] += d
			axpy(d, s.col1[int(px)*patch1:][:patch1], g.W1[o*patch1:][:patch1])
		}
	}
	return loss
}

func log32(x float32) float32 { return float32(math.Log(float64(x))) }
