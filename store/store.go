// Package store keeps crier's state in one SQLite file: accounts, posts and
// their deliveries, the inbox, metric history and campaigns. It is plain Go:
// no terminal, no network.
package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite" // the "sqlite" driver (pure Go)
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is an open crier database. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
}

// ErrNewerSchema is returned by Open for a database written by a newer crier.
var ErrNewerSchema = errors.New("database was written by a newer crier")

// ErrNotFound is returned when a row asked for by id does not exist.
var ErrNotFound = errors.New("not found")

// orNotFound is err, or, when the row asked for was not there
// (sql.ErrNoRows), ErrNotFound said of what format and args name
// ("campaign %d").
func orNotFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf(format+": %w", append(args, ErrNotFound)...)
	}
	return err
}

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		if !ok {
			return nil, fmt.Errorf("migration %q: name must start with a number and '_'", name)
		}
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %q: %w", name, err)
		}
		body, err := migrationFS.ReadFile("migrations/" + name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migrations are not numbered 1..n: %q is number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the schema version this build of crier writes.
func SchemaVersion() int {
	ms, err := loadMigrations()
	if err != nil {
		return 0
	}
	return len(ms)
}

// SchemaFingerprint identifies the exact schema this build creates (a hash of
// its migrations), for caches such as the benchmark database that must be
// rebuilt whenever the schema text changes, even within one version.
func SchemaFingerprint() string {
	ms, err := loadMigrations()
	if err != nil {
		return ""
	}
	h := sha256.New()
	for _, m := range ms {
		h.Write([]byte(m.sql))
	}
	return fmt.Sprintf("%d-%x", len(ms), h.Sum(nil)[:8])
}

// Open opens (creating if needed) the database at path and brings its schema up
// to date in a single transaction. A database from a newer crier is refused
// untouched.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("no database path given")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("cannot create the folder for the database %s: %w", path, err)
		}
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	// SQLite reads a "file:" name as a URI: escape what would end or bend
	// the path (a test's temp dir can contain "#").
	dsn := "file:" + uriPath.Replace(path) + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("cannot open database %s: %w", path, err)
	}
	db.SetMaxOpenConns(8)
	db.SetConnMaxIdleTime(time.Minute)
	s := &Store{db: db, path: path}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return s, nil
}

// ApplicationID is the mark crier writes into the header of its databases
// (SQLite's PRAGMA application_id): "CRIE" in ASCII.
const ApplicationID = 0x43524945

// ErrForeign is returned by Open for a SQLite file that belongs to another
// program: it is left untouched.
var ErrForeign = errors.New("is another program's SQLite database, not crier's")

// ErrBusy is wrapped by errors that came from another program holding the
// database's write lock for longer than crier waits for a statement: a
// passing condition, worth waiting out.
var ErrBusy = errors.New("the database is locked by another program")

// crierTables are tables every crier database has had since version 1: a
// file without application_id that has them was written by a crier from
// before the mark.
var crierTables = []string{"accounts", "posts", "deliveries", "leases", "meta"}

func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return describeOpenError(err)
	}
	defer conn.Close()
	// Look before taking the write lock: a database that is up to date
	// needs none, so another program writing to it does not stop crier
	// from starting.
	have, err := checkOwner(ctx, conn, len(ms))
	if err != nil {
		return err
	}
	// WAL is kept in the file, so this is set once, and only on a file
	// known to be crier's: switching journal mode rewrites the header.
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return describeOpenError(err)
	}
	if mode != "wal" {
		if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
			return describeOpenError(err)
		}
	}
	if have == len(ms) {
		return nil
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return describeOpenError(err)
	}
	defer tx.Rollback()
	// Again inside the write lock: another crier may have migrated it
	// meanwhile.
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return describeOpenError(err)
	}
	if have >= len(ms) {
		return nil
	}
	for _, m := range ms[have:] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			if IsBusy(err) {
				return describeOpenError(err)
			}
			return fmt.Errorf("migration %s failed, nothing was changed: %w", m.name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(ms))); err != nil {
		return describeOpenError(err)
	}
	if err := tx.Commit(); err != nil {
		return describeOpenError(err)
	}
	return nil
}

// checkOwner reads whose file this is and its schema version, refusing a
// file of another program's or of a newer crier's.
func checkOwner(ctx context.Context, conn *sql.Conn, known int) (version int, err error) {
	var appID, objects int
	if err := conn.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return 0, describeOpenError(err)
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return 0, describeOpenError(err)
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&objects); err != nil {
		return 0, describeOpenError(err)
	}
	switch {
	case appID == ApplicationID:
	case appID != 0:
		return 0, fmt.Errorf("%w (its application id is %#x): crier left it unchanged; point crier at a file of its own (the database setting)",
			ErrForeign, uint32(appID))
	case objects == 0 && version == 0:
		// A new, empty file: crier's to fill.
	default:
		// Unmarked: crier's own from before the mark, or someone else's.
		var found int
		args := make([]any, len(crierTables))
		for i, t := range crierTables {
			args[i] = t
		}
		q := "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN (?" +
			strings.Repeat(", ?", len(crierTables)-1) + ")"
		if err := conn.QueryRowContext(ctx, q, args...).Scan(&found); err != nil {
			return 0, describeOpenError(err)
		}
		if version == 0 || found != len(crierTables) {
			return 0, fmt.Errorf("%w (it holds %d tables and views of its own): crier left it unchanged; point crier at a file of its own (the database setting)",
				ErrForeign, objects)
		}
	}
	if version > known {
		return 0, fmt.Errorf("%w (schema version %d; this crier knows up to %d): upgrade crier, it was left unchanged",
			ErrNewerSchema, version, known)
	}
	return version, nil
}

var uriPath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// closeWait bounds how long Close waits for connections still in use.
const closeWait = 5 * time.Second

// Close closes the database and returns once its last connection is
// closed. database/sql's own Close leaves a connection in use (a pane's
// load still reading as the program ends, a connection being opened for
// it) to finish and close later, touching the files, even making them
// again, after the caller has moved on. A connection held past closeWait
// (a sql.Conn never closed) is reported, not waited for.
func (s *Store) Close() error {
	err := s.db.Close()
	deadline := time.Now().Add(closeWait)
	for {
		n := s.db.Stats().OpenConnections
		if n == 0 {
			return err
		}
		if time.Now().After(deadline) {
			return errors.Join(err, fmt.Errorf("closing the database %s: %d connection(s) still in use after %s", s.path, n, closeWait))
		}
		time.Sleep(time.Millisecond)
	}
}

// Path is the file the store was opened from.
func (s *Store) Path() string { return s.path }

// DB exposes the handle for the store's own tests and the demo generator's bulk
// inserts; panes and the scheduler use the named queries instead.
func (s *Store) DB() *sql.DB { return s.db }

// Meta returns a value from the meta table ("" when unset).
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetMeta stores a value in the meta table.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	return err
}

// ms converts an instant to the stored form.
func ms(t time.Time) int64 { return t.UnixMilli() }

// fromMS converts a stored instant back, in UTC.
func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func nullMS(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

func fromNullMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMS(v.Int64)
}

// inTx runs fn in a write transaction (BEGIN IMMEDIATE), committing when it
// returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// sqliteCode is the primary result code of an error from SQLite, 0 for
// other errors.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// registerTextFunc registers fn with SQLite as the deterministic function
// name of n text arguments (one that is not text reads as ""), so that a
// migration computes a column with the same Go function crier uses.
// Registered for the process, before any database is opened.
func registerTextFunc(name string, n int32, fn func(args []string) string) {
	sqlite.MustRegisterDeterministicScalarFunction(name, n,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			texts := make([]string, len(args))
			for i, a := range args {
				texts[i], _ = a.(string)
			}
			return fn(texts), nil
		})
}

// IsBusy reports whether err came from another connection holding the lock
// crier needed, past the busy timeout: a condition that passes.
func IsBusy(err error) bool {
	if errors.Is(err, ErrBusy) {
		return true
	}
	switch sqliteCode(err) {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return true
	}
	return false
}

// describeOpenError says in a person's words what stopped crier from
// opening or updating a database, keeping SQLite's own text at the end.
func describeOpenError(err error) error {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return fmt.Errorf("%w (%v)", ErrBusy, err)
	case sqlite3.SQLITE_READONLY:
		return fmt.Errorf("crier cannot write to it: the file, or the folder it is in, is read-only for this user; "+
			"make both writable (crier keeps a journal beside the file) (%v)", err)
	case sqlite3.SQLITE_NOTADB:
		return fmt.Errorf("it is not a database: the file is not SQLite; point crier at a file of its own (the database setting) (%v)", err)
	case sqlite3.SQLITE_CANTOPEN:
		return fmt.Errorf("crier cannot open the file: check that it and its folder exist and this user may read and write them (%v)", err)
	case sqlite3.SQLITE_CORRUPT:
		return fmt.Errorf("the file is damaged: restore it from a backup (%v)", err)
	case sqlite3.SQLITE_FULL:
		return fmt.Errorf("the disk is full: free some space (%v)", err)
	case sqlite3.SQLITE_IOERR:
		return fmt.Errorf("the disk would not read or write it (%v)", err)
	}
	return fmt.Errorf("cannot read it: %w", err)
}
