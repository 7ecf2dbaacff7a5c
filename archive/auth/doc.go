// Package auth holds sohoa's accounts: people who sign in to the web with a
// password, and tokens that systems (e-office, one-stop software, scripts)
// send as "Authorization: Bearer". Each has a role, viewer < archivist <
// admin, and a name that is the "who" of what it does.
//
// The accounts live in one file under the data folder (Store), so that
// `sohoa user` and `sohoa token` work whether serve runs or not: every write
// takes an exclusive lock beside the file, reads it again, and replaces it
// atomically (a temporary file, fsync, rename) with mode 0600; a running
// server notices the new file on its next request and reads it. Passwords
// are kept as argon2id hashes, tokens as their SHA-256 (a token is 256
// random bits, so a fast hash is enough); neither is ever kept in clear.
//
// Sessions are the web's signed-in browsers, kept in memory: a restart
// signs everyone out. Throttle slows down guessing at the login.
//
// Every Store, Sessions and Throttle method is safe for concurrent use.
package auth
