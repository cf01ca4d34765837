// Schichtbuch's MongoDB-wire test engine: FerretDB 1.24 (Apache-2.0) embedded with its SQLite backend.
//
// `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` builds a binary that panics at start for want of the
// generated build/version/version.txt (FerretDB issue 2982); the embeddable `ferretdb` package does not need that
// file, so this wrapper is all we build. It listens on 127.0.0.1 only: it is a test engine, never a server.
//
//	ferretdb --port 27018 --dir /tmp/engine-data [--sqlite-pragmas 'synchronous(normal)']
//
// SQLite pragmas: FerretDB itself sets busy_timeout(10000), journal_mode(wal) and auto_vacuum(none); this wrapper
// adds synchronous(normal) by default — in WAL mode a commit then needs no fsync (it survives a crash of the engine,
// not a power cut), which is what a test engine needs. `--sqlite-pragmas=` (empty) keeps SQLite's default, FULL.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	port := flag.Int("port", 27017, "TCP port on 127.0.0.1")
	dir := flag.String("dir", "", "data directory (created if missing); one SQLite file per database")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	pragmas := flag.String("sqlite-pragmas", "synchronous(normal)", "comma-separated SQLite pragmas for every database file, e.g. synchronous(normal)")
	flag.Parse()

	if *dir == "" {
		fmt.Fprintln(os.Stderr, "ferretdb: --dir is required")
		os.Exit(2)
	}
	if *port < 0 || *port > 65535 {
		fmt.Fprintln(os.Stderr, "ferretdb: --port must be 0…65535")
		os.Exit(2)
	}
	abs, err := filepath.Abs(*dir)
	if err == nil {
		err = os.MkdirAll(abs, 0o700)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: --dir %s: %v\n", *dir, err)
		os.Exit(2)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: --log-level: %v\n", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	query := url.Values{}
	for _, p := range strings.Split(*pragmas, ",") {
		if p = strings.TrimSpace(p); p != "" {
			query.Add("_pragma", p)
		}
	}
	sqliteURL := "file:" + filepath.ToSlash(abs) + "/"
	if len(query) > 0 {
		sqliteURL += "?" + query.Encode()
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: net.JoinHostPort("127.0.0.1", strconv.Itoa(*port))},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	// MongoDBURI waits until the listener is bound; printing it tells a parent process that the engine is ready.
	fmt.Printf("ferretdb listening %s (data %s)\n", f.MongoDBURI(), abs)

	if err := <-done; err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}
}
