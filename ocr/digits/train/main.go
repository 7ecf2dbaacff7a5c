// Command train trains the handwritten-digit network of package digits on
// MNIST's training digits, handwriting-font digits and synthetic non-digits,
// and writes the weights file that the package embeds:
//
//	go run ./ocr/digits/train -seed 1 -out ocr/digits/weights.bin   (make model)
//	go run ./ocr/digits/train -eval [-confusion] [-weights FILE]     the shipped weights on MNIST's test set
//	go run ./ocr/digits/train -show /tmp/samples.png                 a sheet of training samples, as the network sees them
//
// The same seed gives the same file. MNIST's test digits are read only to
// report accuracy, never to learn from.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	cfg := config{batch: 64, lr: 1e-3, lrEnd: 1e-5, log: os.Stdout}
	fs.Uint64Var(&cfg.seed, "seed", 1, "random seed: the same seed gives the same weights")
	fs.IntVar(&cfg.epochs, "epochs", 6, "passes over the training samples")
	fs.IntVar(&cfg.fontDigits, "fontdigits", 9000, "handwriting-font digits per epoch")
	fs.IntVar(&cfg.rejects, "rejects", 10000, "reject-class samples per epoch")
	fs.IntVar(&cfg.workers, "workers", runtime.GOMAXPROCS(0), "goroutines (the result does not depend on it)")
	out := fs.String("out", "ocr/digits/weights.bin", "weights file to write")
	eval := fs.Bool("eval", false, "print the accuracy of the weights on MNIST's test set, and train nothing")
	weights := fs.String("weights", "", "with -eval: this weights file instead of the embedded one")
	confusion := fs.Bool("confusion", false, "with -eval: also print the confusion matrix")
	show := fs.String("show", "", "write a PNG sheet of training samples to this file, and train nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.batch%shards != 0 {
		return fmt.Errorf("batch %d is not a multiple of %d shards", cfg.batch, shards)
	}
	switch {
	case *eval:
		return evaluate(*weights, *confusion, cfg.workers)
	case *show != "":
		return showSamples(cfg, *show)
	}
	return trainAndWrite(cfg, *out)
}
