package models

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Passwords are hashed with argon2id at OWASP's recommended minimum
// (19 MiB, 2 passes, 1 lane) and stored in the PHC string format, so the
// parameters can be raised later without breaking old hashes.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// passwordSlots caps how many argon2id computations run at once: each
// needs argonMemory (19 MiB), so a burst of sign-ins waits here instead of
// exhausting memory. Hashing is CPU-bound; more slots than CPUs buy nothing.
var passwordSlots = make(chan struct{}, min(max(runtime.GOMAXPROCS(0), 1), 4))

// argonKey derives an argon2id key in one of the passwordSlots.
func argonKey(password string, salt []byte, t, mem uint32, p uint8, keyLen uint32) []byte {
	passwordSlots <- struct{}{}
	defer func() { <-passwordSlots }()
	return argon2.IDKey([]byte(password), salt, t, mem, p, keyLen)
}

// dummyHash is verified against when an account does not exist, so a
// sign-in takes as long for unknown emails as for known ones.
var dummyHash = func() string {
	h, _ := HashPassword("not-a-real-password-for-timing")
	return h
}()

// HashPassword returns the argon2id hash of password.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("models: salt: %w", err)
	}
	key := argonKey(password, salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the hash.
func VerifyPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("models: unknown password hash format")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("models: unsupported argon2 version")
	}
	var mem uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil {
		return false, errors.New("models: bad argon2 parameters")
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, errors.New("models: bad salt")
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil {
		return false, errors.New("models: bad key")
	}
	got := argonKey(password, salt, t, mem, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// RandomPassword returns a random password for generated accounts.
func RandomPassword() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

func checkPassword(p string) string {
	if len([]rune(p)) < MinPasswordLength {
		return fmt.Sprintf("Use at least %d characters.", MinPasswordLength)
	}
	if len(p) > 512 {
		return "Use at most 512 characters."
	}
	return ""
}
