package bluesky

import (
	"crypto/sha256"
	"encoding/binary"
	"time"
)

// base32Sortable is the TID alphabet: its order is the characters' byte
// order, so TIDs sort as text in time order.
const base32Sortable = "234567abcdefghijklmnopqrstuvwxyz"

// maxTIDMicros is the largest timestamp a TID holds (53 bits).
const maxTIDMicros = 1<<53 - 1

// RecordKey derives the record key of a post from its idempotency key and its
// frozen creation time, so every attempt at the same post writes the same
// record. The result is a TID (13 characters of base32-sortable: a zero bit,
// 53 bits of microseconds since the Unix epoch and a 10-bit clock id).
//
// Posts scheduled for the same instant share createdAt, so the key's hash
// spreads them: the timestamp is createdAt's millisecond plus up to a second
// (20 bits of the hash) and the clock id is 10 more bits. Two posts with the
// same createdAt collide only if 30 bits of their hashes match. The TID says
// when the record was keyed, not when it was written; nothing reads it as a
// date (createdAt is the post's date). ok is false for times a TID cannot hold
// (before 1970 or after 2255).
func RecordKey(idempotencyKey string, createdAt time.Time) (rkey string, ok bool) {
	ms := createdAt.UnixMilli()
	if ms < 0 || ms*1000 > maxTIDMicros-spreadMicros {
		return "", false
	}
	h := sha256.Sum256([]byte("crier/bluesky/rkey\x00" + idempotencyKey))
	n := binary.BigEndian.Uint64(h[:8])
	micros := uint64(ms)*1000 + (n>>10)%spreadMicros
	clock := n & 0x3ff
	return encodeTID(micros<<10 | clock), true
}

// spreadMicros is how far past createdAt a record key's timestamp may fall.
const spreadMicros = 1_000_000

// encodeTID writes v, whose top bit is zero, as 13 base32-sortable characters.
func encodeTID(v uint64) string {
	var b [13]byte
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = base32Sortable[v&31]
		v >>= 5
	}
	return string(b[:])
}

// validTID reports whether s has the syntax of a TID.
func validTID(s string) bool {
	if len(s) != 13 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '2' && c <= '7' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	// The first character carries the zero top bit: 2-7 or a-j.
	return s[0] <= 'j'
}

// tidTime returns the timestamp in a valid TID.
func tidTime(s string) time.Time {
	var v uint64
	for i := 0; i < len(s); i++ {
		var d byte
		for j := 0; j < len(base32Sortable); j++ {
			if base32Sortable[j] == s[i] {
				d = byte(j)
			}
		}
		v = v<<5 | uint64(d)
	}
	return time.UnixMicro(int64(v >> 10)).UTC()
}
