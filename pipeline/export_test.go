package pipeline

// RetryDelay exposes retryDelay to the tests.
var RetryDelay = retryDelay

// Judge exposes the quarantine rule to the tests: how many of the
// deliveries before delivered died, how many of them certainly, and whether
// the message is quarantined.
func Judge(delivered uint64, past map[uint64]string) (deaths, sure int, quarantined bool) {
	v := judge(delivered, past)
	return v.deaths, v.sure, v.quarantined()
}
