package scan

import (
	"context"
	"errors"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/extract"
	"github.com/ogicheck/ogicheck/result"
)

// newReader reads one input with the reader its content calls for, within
// the options' limits and time per document. Its errors are
// *document.ReadError: they say the format and whether a limit of ours
// (the time limit, an interruption) stopped the reading.
func newReader(o *Options) document.Reader {
	return document.ReaderFunc(func(ctx context.Context, in document.Input) (*document.Document, error) {
		in.Limits = o.Limits
		format := extract.Sniff(in.Data, in.Source, in.ContentType)
		rctx, cancel := context.WithTimeout(ctx, o.DocTimeout)
		defer cancel()
		d, err := extract.ReadAs(rctx, format, in)
		if err == nil {
			return d, nil
		}
		re := &document.ReadError{Format: format, Err: err}
		switch {
		case ctx.Err() != nil:
			// stopped by the user: not a defect of the file
			re.Limit = result.Text{Zh: "未读取：检查被中断", En: "not read: the check was interrupted"}
		case errors.Is(err, context.DeadlineExceeded):
			re.Limit = result.Msg("读取超过每个文件%v的时间上限", "reading took longer than the %v limit per document", o.DocTimeout)
		}
		return nil, re
	})
}

// Analyze reads one input and analyses it with the options' overrides; a
// failed read is a report carrying the error.
func Analyze(ctx context.Context, in document.Input, opts Options, hints annual.Hints) *annual.Report {
	opts.defaults()
	return annual.Read(ctx, newReader(&opts), in, opts.Options, hints, "")
}
