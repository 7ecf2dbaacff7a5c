package archive

import "time"

// CrashCorrectionsAfter makes every correction stop after step as a crash
// there would, with nothing settled: "claim", "pdf", "record", "indexed"
// (the index put, not yet the status) or "index" (all but the release).
func CrashCorrectionsAfter(step string) (restore func()) {
	crashAfter = step
	return func() { crashAfter = "" }
}

// SettleClaims sets the age past which a claim is stale and how often a
// running archive looks for them.
func SettleClaims(stale, every time.Duration) (restore func()) {
	s, e := claimStale, settleEvery
	claimStale, settleEvery = stale, every
	return func() { claimStale, settleEvery = s, e }
}
