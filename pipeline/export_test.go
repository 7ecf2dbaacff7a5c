package pipeline

// RetryDelay exposes retryDelay to the tests.
var RetryDelay = retryDelay
