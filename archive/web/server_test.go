package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sohoa/sohoa/archive/index"
	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/objstore/s3test"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/pipeline/natsd"
)

// startServer runs the web server on real components: an embedded NATS
// server, a versitygw S3 process, a Bleve index.
func startServer(t *testing.T) (base string, q *pipeline.Queue, ix *index.Index, st *objstore.Bucket) {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	ns, err := natsd.Start(natsd.Config{StoreDir: t.TempDir()}, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	nc, err := ns.Connect("test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	ctx, cancel := context.WithCancel(context.Background())
	q, err = pipeline.Open(ctx, nc, pipeline.Config{}, log)
	if err != nil {
		t.Fatal(err)
	}
	st, err = objstore.Open(ctx, s3test.VersityGW(t).Config("sohoa-archive"))
	if err != nil {
		t.Fatal(err)
	}
	ix, err = index.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := New(q, ix, st, nil, log)
	done := make(chan error)
	go func() { done <- s.Run(ctx, l) }()
	t.Cleanup(func() { cancel(); <-done })
	base = "http://" + l.Addr().String()
	waitFor(t, func() error {
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return errors.New(resp.Status)
		}
		return nil
	})
	return base, q, ix, st
}

func waitFor(t *testing.T, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := fn()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func getJSON(t *testing.T, u string, v any) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil && resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

func TestAPI(t *testing.T) {
	base, q, ix, st := startServer(t)
	ctx := context.Background()
	t0 := time.Now().UTC().Add(-time.Hour)

	// One archived document (index + PDF), one queued, one failed.
	pdf := []byte("%PDF-1.7\n% not a real one\n%%EOF\n")
	if err := st.Put(ctx, "2018/07-CT-UBND/a1.pdf", pdf, "application/pdf"); err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(index.Doc{ID: "a1", DocNumber: "07/CT-UBND", Date: "2018-03-20", Type: "CHỈ THỊ",
		Subject: "Về tăng cường công tác thi hành án hành chính", Text: "Tòa án thi hành án hành chính",
		SourceName: "07.pdf", SHA256: strings.Repeat("ab", 32), Key: "2018/07-CT-UBND/a1.pdf", Pages: 4,
		Created: t0, Archived: t0.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []pipeline.Status{
		{ID: "q2", SourceName: "quét-mới.jpg", Status: pipeline.StatusQueued, Pages: 1, Attempt: 1},
		{ID: "f3", SourceName: "hỏng.pdf", Status: pipeline.StatusFailed, Reason: "Tệp bị hỏng", Attempt: 1},
	} {
		if _, _, err := q.CreateStatus(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	var list List
	waitFor(t, func() error {
		getJSON(t, base+"/api/documents", &list)
		if list.Total != 3 {
			return errors.New("statuses not seen yet")
		}
		return nil
	})
	// Newest first: the two just created, then the archived one.
	if got := list.Documents[2].ID; got != "a1" || list.Documents[2].Status != "archived" {
		t.Errorf("oldest listed = %s %s, want a1 archived", got, list.Documents[2].Status)
	}
	for _, d := range list.Documents {
		if d.ID == "f3" && (d.Status != "failed" || d.Reason == "") {
			t.Errorf("failed document = %+v", d)
		}
	}

	// Search: text without diacritics; a pipeline document by its file name.
	getJSON(t, base+"/api/documents?q="+url.QueryEscape("thi hanh an"), &list)
	if list.Total != 1 || list.Documents[0].ID != "a1" {
		t.Errorf("search = %+v", list)
	}
	getJSON(t, base+"/api/documents?q="+url.QueryEscape("quet moi"), &list)
	if list.Total != 1 || list.Documents[0].ID != "q2" {
		t.Errorf("search by file name = %+v", list)
	}
	// limit and offset.
	getJSON(t, base+"/api/documents?limit=1&offset=1", &list)
	if list.Total != 3 || len(list.Documents) != 1 {
		t.Errorf("limit 1 offset 1 = %+v", list)
	}

	// One document, with its text; the PDF; unknown ids.
	var doc Document
	if code := getJSON(t, base+"/api/documents/a1", &doc); code != 200 || doc.Text == nil || *doc.Text != "Tòa án thi hành án hành chính" {
		t.Errorf("document a1 = %d %+v", code, doc)
	}
	resp, err := http.Get(base + "/api/documents/a1/pdf")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != string(pdf) || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("pdf = %d %q %s", resp.StatusCode, body, resp.Header.Get("Content-Type"))
	}
	for _, u := range []string{"/api/documents/zz", "/api/documents/zz/pdf", "/api/documents/q2/pdf", "/documents/zz"} {
		if code := getJSON(t, base+u, nil); code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", u, code)
		}
	}

	// A document archived meanwhile leaves the pipeline view.
	if _, err := q.UpdateStatus(ctx, "q2", func(s *pipeline.Status) error { s.Status = pipeline.StatusArchived; return nil }); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() error {
		getJSON(t, base+"/api/documents", &list)
		if list.Total != 2 {
			return errors.New("archived document still listed as in the pipeline")
		}
		return nil
	})

	// The pages are Vietnamese HTML.
	for _, u := range []string{"/", "/?q=thi+hanh", "/documents/a1", "/documents/f3"} {
		resp, err := http.Get(base + u)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), `lang="vi"`) {
			t.Errorf("GET %s = %d", u, resp.StatusCode)
		}
	}
}
