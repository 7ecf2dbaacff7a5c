// Package convnet is the small convolutional network behind package digits:
// its fixed architecture, its parameters, the forward pass that inference
// and training share, the backward pass that only training uses, and the
// weights file that carries the parameters from the trainer to the library.
//
// # Architecture
//
//	input 1×28×28 (0 paper … 1 ink)
//	conv 5×5, 16 channels (valid) → 16×24×24 → max-pool 2 → ReLU → 16×12×12
//	conv 5×5, 32 channels (valid) → 32×8×8   → max-pool 2 → ReLU → 32×4×4 = 512
//	fully connected 512 → 128 → ReLU
//	fully connected 128 → 11 (logits: digits 0–9 and reject)
//
// Max-pooling before the ReLU gives the same values as after it, and lets the
// backward pass follow one pixel per pooled cell: the gradient of each
// convolution is a sum over the cells that passed, a quarter of the pixels or
// fewer, instead of a dense product.
//
// # Concurrency
//
// A Params is read-only while Forward runs and may be shared by any number of
// goroutines; each goroutine brings its own Scratch. Backward writes only into
// the Params given as the gradient, which belongs to its caller.
package convnet
