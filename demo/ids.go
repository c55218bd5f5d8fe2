package demo

import (
	"encoding/hex"
	"math/rand/v2"
	"strconv"
	"time"
)

// The shapes of the networks' identifiers, so that the demo's remote ids and
// URLs look like the ones the real clients store.

// mastodonID is a Mastodon snowflake: milliseconds since the epoch in the
// high bits and a sequence in the low 16. Ids made in time order with a
// rising seq never collide.
func mastodonID(t time.Time, seq uint64) string {
	return strconv.FormatUint(uint64(t.UnixMilli())<<16|seq&0xffff, 10)
}

// tidAlphabet is AT Protocol's sortable base32.
const tidAlphabet = "234567abcdefghijklmnopqrstuvwxyz"

// tid is an AT Protocol record key: microseconds since the epoch and a
// 10-bit clock id, written as 13 sortable base32 characters.
func tid(t time.Time, clock uint64) string {
	v := uint64(t.UnixMicro())<<10 | clock&0x3ff
	var b [13]byte
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = tidAlphabet[v&31]
		v >>= 5
	}
	return string(b[:])
}

// did is a did:plc identifier: 24 characters of lower-case base32.
func did(r *rand.Rand) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	b := []byte("did:plc:")
	for range 24 {
		b = append(b, alphabet[r.IntN(len(alphabet))])
	}
	return string(b)
}

// bskyPostURI is the at:// URI of a post record.
func bskyPostURI(did, rkey string) string { return "at://" + did + "/app.bsky.feed.post/" + rkey }

// bskyPostURL is the web address bsky.app shows for a post.
func bskyPostURL(handle, rkey string) string {
	return "https://bsky.app/profile/" + handle + "/post/" + rkey
}

// idempotencyKey has the shape of store.NewIdempotencyKey but comes from the
// seeded generator, so the same seed gives the same database.
func idempotencyKey(r *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return hex.EncodeToString(b[:])
}
