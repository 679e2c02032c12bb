package jobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/ogicheck/ogicheck/internal/alerts"
	"github.com/ogicheck/ogicheck/internal/store"
)

// Webhook posts each finished scan's new findings (package alerts), as a
// River job retried with backoff. The URL and the secret stay with the
// process that posts: the job names the scan and a digest of the URL
// only, and its queue is worked only where a Webhook is configured.
type Webhook struct {
	URL    string
	Secret []byte
	// Backoff is the delay before the first retry, doubled at each
	// retry up to ten minutes; 0 means 5s.
	Backoff time.Duration
	Client  *http.Client // nil: a client with a 30s timeout
}

// AlertQueue is the River queue of webhook posts.
const AlertQueue = "ogicheck_alerts"

// AlertAttempts bounds the posts of one delivery.
const AlertAttempts = 6

// AlertArgs is the job of posting one scan's new findings to one webhook.
type AlertArgs struct {
	Scan int64  `json:"scan"`
	Hook string `json:"hook"` // hookID of the URL
}

// Kind is River's name of the job.
func (AlertArgs) Kind() string { return "ogicheck_webhook" }

// InsertOpts make the job unique by scan and webhook in every state but
// cancelled and discarded: a scan's findings are posted once, and once
// accepted never again.
func (AlertArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: AlertQueue, MaxAttempts: AlertAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// hookID names a webhook without its URL (which may carry a token).
func hookID(u string) string {
	h := sha256.Sum256([]byte(u))
	return hex.EncodeToString(h[:8])
}

// alertWorker posts deliveries.
type alertWorker struct {
	river.WorkerDefaults[AlertArgs]
	st   *store.Store
	hook *Webhook
}

// addAlerts registers the webhook worker and its queue when a webhook is
// configured.
func (r *Runner) addAlerts(workers *river.Workers, rc *river.Config) {
	if r.cfg.Webhook == nil {
		return
	}
	river.AddWorker(workers, &alertWorker{st: r.cfg.Store, hook: r.cfg.Webhook})
	if rc.Queues == nil {
		rc.Queues = map[string]river.QueueConfig{}
	}
	rc.Queues[AlertQueue] = river.QueueConfig{MaxWorkers: 1}
}

// Work posts the scan's new findings; a refusal a retry will not change
// cancels the job.
func (w *alertWorker) Work(ctx context.Context, job *river.Job[AlertArgs]) error {
	if job.Args.Hook != hookID(w.hook.URL) {
		return river.JobCancel(errors.New("jobs: the webhook of this delivery is not configured in this process"))
	}
	body, delivery, n, err := alertBody(ctx, w.st, job.Args)
	if err != nil {
		return err
	}
	if n == 0 {
		return nil // nothing new: nothing to say
	}
	err = alerts.Post(ctx, w.hook.Client, w.hook.URL, w.hook.Secret, body, delivery)
	var perm *alerts.PermanentError
	if errors.As(err, &perm) {
		return river.JobCancel(err)
	}
	return err
}

// NextRetry doubles the delay from Backoff, up to ten minutes.
func (w *alertWorker) NextRetry(job *river.Job[AlertArgs]) time.Time {
	d := w.hook.Backoff
	if d <= 0 {
		d = 5 * time.Second
	}
	for i := 1; i < job.Attempt && d < 10*time.Minute; i++ {
		d *= 2
	}
	return time.Now().Add(min(d, 10*time.Minute))
}

// alertBody is the delivery of a scan: its new findings, built the same
// on every retry.
func alertBody(ctx context.Context, st *store.Store, a AlertArgs) (body []byte, delivery string, n int, err error) {
	sc, err := st.Scan(ctx, a.Scan)
	if err != nil {
		return nil, "", 0, err
	}
	items, err := st.ReviewItems(ctx, a.Scan, store.ScoreFilter{})
	if err != nil {
		return nil, "", 0, err
	}
	delivery = fmt.Sprintf("%d-%s", a.Scan, a.Hook)
	p := alerts.Payload{Delivery: delivery, Scan: a.Scan, Started: sc.Started}
	for _, it := range items {
		if it.State != store.StateNew {
			continue
		}
		p.Findings = append(p.Findings, alerts.Finding{Fingerprint: it.Fingerprint, Rule: it.Rule, Category: it.Category,
			Severity: it.Severity, Site: it.Site, Agency: it.Agency, Year: it.Year, Message: it.Messages})
	}
	body, err = alerts.Encode(p)
	return body, delivery, len(p.Findings), err
}

// jobGetter is the part of a River client that reads a job back.
type jobGetter interface {
	JobGet(ctx context.Context, id int64) (*rivertype.JobRow, error)
}

// Alert queues the post of a finished scan's new findings to the
// configured webhook, at most once per scan. With wait it returns when the
// post was accepted (nil), given up (an error), or ctx ends.
func (r *Runner) Alert(ctx context.Context, scan int64, wait bool) error {
	if r.cfg.Webhook == nil {
		return errors.New("jobs: no webhook configured")
	}
	res, err := r.q.InsertMany(ctx, []river.InsertManyParams{{Args: AlertArgs{Scan: scan, Hook: hookID(r.cfg.Webhook.URL)}}})
	if err != nil {
		return fmt.Errorf("jobs: queue the webhook post of scan %d: %w", scan, err)
	}
	if !wait || len(res) == 0 {
		return nil
	}
	g, ok := r.q.(jobGetter)
	if !ok {
		return nil
	}
	id := res[0].Job.ID
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		job, err := g.JobGet(ctx, id)
		if err != nil {
			return fmt.Errorf("jobs: the webhook post of scan %d: %w", scan, err)
		}
		switch job.State {
		case rivertype.JobStateCompleted:
			return nil
		case rivertype.JobStateCancelled, rivertype.JobStateDiscarded:
			why := "given up"
			if n := len(job.Errors); n > 0 {
				why = job.Errors[n-1].Error
			}
			return fmt.Errorf("jobs: the webhook post of scan %d failed after %d attempts: %s", scan, job.Attempt, why)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}
