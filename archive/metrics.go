package archive

import "github.com/prometheus/client_golang/prometheus"

// Metrics of the archive stage. A nil *Metrics records nothing.
type Metrics struct {
	docs   prometheus.Counter
	pages  prometheus.Counter
	review prometheus.Counter
	bytes  prometheus.Counter
}

// NewMetrics registers the archive's metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		docs:   prometheus.NewCounter(prometheus.CounterOpts{Name: "sohoa_archived_documents_total", Help: "Documents committed to the archive."}),
		pages:  prometheus.NewCounter(prometheus.CounterOpts{Name: "sohoa_archived_pages_total", Help: "Pages committed to the archive."}),
		review: prometheus.NewCounter(prometheus.CounterOpts{Name: "sohoa_archived_needs_review_total", Help: "Archived documents whose number or date needs review."}),
		bytes:  prometheus.NewCounter(prometheus.CounterOpts{Name: "sohoa_archived_pdf_bytes_total", Help: "Bytes of PDF committed."}),
	}
	reg.MustRegister(m.docs, m.pages, m.review, m.bytes)
	return m
}

func (m *Metrics) observeDoc(r *Record) {
	if m == nil {
		return
	}
	m.docs.Inc()
	m.pages.Add(float64(r.Pages))
	m.bytes.Add(float64(r.PDF.Size))
	if r.NeedsReview {
		m.review.Inc()
	}
}
