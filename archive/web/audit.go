package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/audit"
	"github.com/sohoa/sohoa/archive/auth"
)

// errAudit: the audit could not record a request, which is therefore
// refused.
var errAudit = errors.New("audit")

// record appends what the caller of r does to the audit (nothing when the
// server keeps none).
func (s *Server) record(r *http.Request, c caller, action, doc, detail string) error {
	if s.audit == nil {
		return nil
	}
	_, err := s.audit.Append(context.WithoutCancel(r.Context()), audit.Entry{
		Who: c.Name, Role: roleName(c), Via: c.Kind, Addr: s.clientAddr(r).String(),
		Action: action, Document: doc, Detail: detail,
	})
	if err != nil {
		s.log.Error("audit: cannot record; refusing the request", "action", action, "who", c.Name, "err", err)
		return fmt.Errorf("%w: %v", errAudit, err)
	}
	return nil
}

func roleName(c caller) string {
	if c.Name == "" {
		return ""
	}
	return c.Role.String()
}

// recordRoute records what a route's request does, before it is served.
func (s *Server) recordRoute(r *http.Request, c caller, rt route) error {
	detail := ""
	switch rt.record {
	case audit.Search:
		detail = r.URL.RawQuery
	case audit.Download:
		detail = rt.path[strings.LastIndexByte(rt.path, '/')+1:] // pdf, original
	}
	return s.record(r, c, rt.record, r.PathValue("id"), detail)
}

func (s *Server) recordDossier(r *http.Request, d *archive.Dossier) error {
	return s.record(r, callerOf(r), audit.Dossier, d.ID, fmt.Sprintf("version %d", d.Version))
}

func (s *Server) recordCorrection(r *http.Request, rec *archive.Record) error {
	return s.record(r, callerOf(r), audit.Correct, rec.ID, fmt.Sprintf("version %d", rec.Version))
}

// accountsEvery is how often the server looks for account changes to move
// into the audit.
const accountsEvery = 2 * time.Second

// drainAccounts moves the account changes the commands (or this server)
// made into the audit, now and every accountsEvery, until ctx ends.
func (s *Server) drainAccounts(ctx context.Context) {
	if s.audit == nil {
		return
	}
	t := time.NewTicker(accountsEvery)
	defer t.Stop()
	for {
		err := s.accounts.Drain(func(cs []auth.Change) error {
			for _, c := range cs {
				detail := c.Action + " " + c.Name
				if c.Role != auth.None {
					detail += " (" + c.Role.String() + ")"
				}
				if _, err := s.audit.Append(ctx, audit.Entry{Time: c.Time, Who: c.By, Action: audit.Account, Detail: detail}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil && ctx.Err() == nil {
			s.log.Warn("audit: account changes not recorded yet; trying again", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// apiAudit answers GET /api/audit?document=ID: the entries about one
// document, oldest first.
func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	if s.audit == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Máy chủ này không ghi nhật ký (no audit kept)"})
		return
	}
	id := r.URL.Query().Get("document")
	if id == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "Hãy cho biết văn bản: ?document=ID (document required)"})
		return
	}
	entries, err := s.audit.Document(r.Context(), id)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
}
