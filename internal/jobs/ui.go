package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"riverqueue.com/riverui"
	"riverqueue.com/riverui/uiendpoints"

	"github.com/ogicheck/ogicheck/internal/store"
)

// UI is River's own web UI (riverui) over the store's job queue, to mount
// under prefix in the reviewers' app. Its River client only reads and
// changes jobs; it works none. close frees its connection.
func UI(ctx context.Context, st *store.Store, prefix string, log *slog.Logger) (h http.Handler, close func(), err error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	quiet := slog.New(levelHandler{log.Handler(), slog.LevelWarn})
	var ep uiendpoints.Bundle
	close = func() {}
	switch st.Kind() {
	case store.Postgres:
		drv := riverpgxv5.New(st.Pool())
		if err := st.Exclusive(ctx, func(ctx context.Context) error { return migrate(ctx, drv) }); err != nil {
			return nil, nil, fmt.Errorf("jobs: %w", err)
		}
		client, err := river.NewClient[pgx.Tx](drv, &river.Config{Logger: quiet})
		if err != nil {
			return nil, nil, fmt.Errorf("jobs: %w", err)
		}
		ep = riverui.NewEndpoints(client, nil)
	default:
		db, err := sql.Open("sqlite", st.DSN())
		if err != nil {
			return nil, nil, fmt.Errorf("jobs: %w", err)
		}
		db.SetMaxOpenConns(1)
		close = func() { db.Close() }
		drv := riversqlite.New(db)
		if err := migrate(ctx, drv); err != nil {
			close()
			return nil, nil, err
		}
		client, err := river.NewClient[*sql.Tx](drv, &river.Config{Logger: quiet})
		if err != nil {
			close()
			return nil, nil, fmt.Errorf("jobs: %w", err)
		}
		ep = riverui.NewEndpoints(client, nil)
	}
	ui, err := riverui.NewHandler(&riverui.HandlerOpts{Endpoints: ep, Logger: quiet, Prefix: prefix})
	if err != nil {
		close()
		return nil, nil, fmt.Errorf("jobs: River's UI: %w", err)
	}
	if err := ui.Start(ctx); err != nil {
		close()
		return nil, nil, fmt.Errorf("jobs: River's UI: %w", err)
	}
	return ui, close, nil
}
