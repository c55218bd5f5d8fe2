package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func pragmaInt(t *testing.T, db *sql.DB, name string) int {
	t.Helper()
	var v int
	if err := db.QueryRow("PRAGMA " + name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestNewDatabaseCarriesCriersMark(t *testing.T) {
	st := openTest(t)
	if got := pragmaInt(t, st.db, "application_id"); got != ApplicationID {
		t.Fatalf("application_id = %#x, want %#x", got, ApplicationID)
	}
}

// A database written by a crier from before the mark (version 2, no
// application id) is crier's: it is migrated and marked.
func TestUnmarkedCrierDatabaseIsMarked(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crier.db")
	db, err := openRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[:2] {
		if _, err := db.Exec(m.sql); err != nil {
			t.Fatal(err)
		}
	}
	// A delivery tried once before the upgrade keeps its due time as the
	// time its record was first written.
	due := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for _, q := range []string{
		"PRAGMA user_version = 2",
		"INSERT INTO accounts (id, platform, handle, created_at) VALUES (1, 'bluesky', 'shop.test', 0)",
		"INSERT INTO posts (id, body, state, created_at, updated_at) VALUES (1, 'hi', 'queued', 0, 0)",
		"INSERT INTO deliveries (post_id, account_id, due_at, attempts, idempotency_key) VALUES (1, 1, " + itoa(int(due.UnixMilli())) + ", 1, 'k1')",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	st, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open of crier's own version-2 database = %v", err)
	}
	defer st.Close()
	if got := pragmaInt(t, st.db, "application_id"); got != ApplicationID {
		t.Fatalf("application_id after the upgrade = %#x", got)
	}
	var first int64
	if err := st.db.QueryRow("SELECT first_attempt_at FROM deliveries").Scan(&first); err != nil || first != due.UnixMilli() {
		t.Fatalf("first_attempt_at = %d (%v), want the due time %d", first, err, due.UnixMilli())
	}
}

// Another program's SQLite file is refused, byte for byte untouched.
func TestForeignDatabaseIsRefusedUntouched(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		setup []string
	}{
		{"unmarked with tables", []string{"CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)", "INSERT INTO notes (body) VALUES ('mine')"}},
		{"marked by another program", []string{"PRAGMA application_id = 1234", "CREATE TABLE t (x)"}},
		{"another program's version only", []string{"PRAGMA user_version = 7"}},
		{"a table named like crier's", []string{"CREATE TABLE posts (x)", "PRAGMA user_version = 1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "other.db")
			db, err := openRaw(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range tc.setup {
				if _, err := db.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
			before := fileSum(t, path)
			_, err = Open(ctx, path)
			if !errors.Is(err, ErrForeign) {
				t.Fatalf("Open = %v, want ErrForeign", err)
			}
			for _, want := range []string{path, "not crier's", "unchanged"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if fileSum(t, path) != before {
				t.Fatal("the foreign file was changed")
			}
		})
	}
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// A database whose write lock another program holds opens at once when its
// schema is current: reading needs no write lock.
func TestOpenUpToDateWhileAnotherHoldsTheWriteLock(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crier.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	other, err := openRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, "ROLLBACK")
	st, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("Open while another holds the write lock = %v", err)
	}
	st.Close()
}

func TestBusyIsNamedAsSuch(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crier.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	other, err := openRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, "ROLLBACK")
	if _, err := st.db.ExecContext(ctx, "PRAGMA busy_timeout = 10"); err != nil {
		t.Fatal(err)
	}
	st.db.SetMaxOpenConns(1) // the connection whose timeout was shortened
	err = st.SetMeta(ctx, "k", "v")
	if !IsBusy(err) {
		t.Fatalf("a write under another's lock = %v, want IsBusy", err)
	}
}
