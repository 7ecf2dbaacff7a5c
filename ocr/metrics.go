package ocr

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics of the OCR stage. A nil *Metrics records nothing.
type Metrics struct {
	pages   prometheus.Counter
	seconds prometheus.Histogram
}

// NewMetrics registers the OCR stage's metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		pages: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sohoa_ocr_pages_total", Help: "Pages read by OCR.",
		}),
		seconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "sohoa_ocr_page_seconds", Help: "Time to prepare and read one page.",
			Buckets: []float64{0.5, 1, 2, 4, 8, 16, 32, 64},
		}),
	}
	reg.MustRegister(m.pages, m.seconds)
	return m
}

func (m *Metrics) observePage(d time.Duration) {
	if m == nil {
		return
	}
	m.pages.Inc()
	m.seconds.Observe(d.Seconds())
}
