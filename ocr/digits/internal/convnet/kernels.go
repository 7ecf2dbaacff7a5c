package convnet

// gemmNT computes c[i][j] = bias[i] + Σₖ a[i][k]·b[j][k] for i < m, j < n,
// with a m×k and b n×k, row-major: every output is a dot product of two
// contiguous rows. It works on blocks of 4 rows of a by 2 rows of b (m must be
// a multiple of 4 and n of 2, as every shape of this network is) so that
// eight sums stay in registers and each loaded value is used two or four
// times.
func gemmNT(c, a, b, bias []float32, m, n, k int) {
	for i := 0; i < m; i += 4 {
		a0 := a[i*k:][:k]
		a1 := a[(i+1)*k:][:k]
		a2 := a[(i+2)*k:][:k]
		a3 := a[(i+3)*k:][:k]
		c0 := c[i*n:][:n]
		c1 := c[(i+1)*n:][:n]
		c2 := c[(i+2)*n:][:n]
		c3 := c[(i+3)*n:][:n]
		for j := 0; j+1 < n; j += 2 {
			b0 := b[j*k:][:k]
			b1 := b[(j+1)*k:][:k]
			a1, a2, a3, b1 := a1[:len(a0)], a2[:len(a0)], a3[:len(a0)], b1[:len(a0)]
			b0 = b0[:len(a0)]
			var s00, s01, s10, s11, s20, s21, s30, s31 float32
			for kk, x0 := range a0 {
				y0, y1 := b0[kk], b1[kk]
				x1, x2, x3 := a1[kk], a2[kk], a3[kk]
				s00 += x0 * y0
				s01 += x0 * y1
				s10 += x1 * y0
				s11 += x1 * y1
				s20 += x2 * y0
				s21 += x2 * y1
				s30 += x3 * y0
				s31 += x3 * y1
			}
			c0[j], c0[j+1] = bias[i]+s00, bias[i]+s01
			c1[j], c1[j+1] = bias[i+1]+s10, bias[i+1]+s11
			c2[j], c2[j+1] = bias[i+2]+s20, bias[i+2]+s21
			c3[j], c3[j+1] = bias[i+3]+s30, bias[i+3]+s31
		}
	}
}

// dot returns Σ x[i]·y[i] over len(x) (y at least as long), with four
// partial sums to keep the adds independent.
func dot(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	for len(x) >= 4 && len(y) >= 4 {
		s0 += x[0] * y[0]
		s1 += x[1] * y[1]
		s2 += x[2] * y[2]
		s3 += x[3] * y[3]
		x, y = x[4:], y[4:]
	}
	for i := range x {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// axpy adds a·x to y over len(x) (y at least as long).
func axpy(a float32, x, y []float32) {
	y = y[:len(x)]
	for len(x) >= 4 && len(y) >= 4 {
		y[0] += a * x[0]
		y[1] += a * x[1]
		y[2] += a * x[2]
		y[3] += a * x[3]
		x, y = x[4:], y[4:]
	}
	for i := range x {
		y[i] += a * x[i]
	}
}

// axpy2 is axpy(a, x, dx) and axpy(a, y, dy) in one pass: the two halves of
// a unit's backward step, its weights' gradient (input times a) and its
// input's gradient (weights times a). All four have len(x) or more.
func axpy2(a float32, x, dx, y, dy []float32) {
	n := len(x)
	dx, y, dy = dx[:n], y[:n], dy[:n]
	for len(x) >= 2 && len(dx) >= 2 && len(y) >= 2 && len(dy) >= 2 {
		x0, x1, y0, y1 := x[0], x[1], y[0], y[1]
		dx[0] += a * x0
		dx[1] += a * x1
		dy[0] += a * y0
		dy[1] += a * y1
		x, dx, y, dy = x[2:], dx[2:], y[2:], dy[2:]
	}
	for i := range x {
		dx[i] += a * x[i]
		dy[i] += a * y[i]
	}
}
