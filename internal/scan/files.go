// Package scan runs a check end to end, one way: it reads files or crawls
// sites, analyses every document (internal/annual), runs the rules and
// assembles the result model.
package scan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ogicheck/ogicheck/internal/annual"
	"github.com/ogicheck/ogicheck/internal/document"
	"github.com/ogicheck/ogicheck/internal/extract"
	"github.com/ogicheck/ogicheck/result"
)

// docExts are the files a directory walk picks up.
var docExts = map[string]bool{
	".html": true, ".htm": true, ".shtml": true, ".txt": true, ".text": true, ".pdf": true, ".doc": true,
	".docx": true, ".wps": true, ".xls": true, ".xlsx": true, ".et": true, ".ofd": true,
}

// InputError is a path that cannot be opened at all: a usage error, unlike
// a file that opens but cannot be parsed, which is a finding.
type InputError struct {
	Path string
	Err  error
}

func (e *InputError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }
func (e *InputError) Unwrap() error { return e.Err }

// Expand turns the arguments into file paths: directories are walked
// recursively for document files, "-" stays as stdin. What a walk leaves
// out is listed with the reason.
func Expand(args []string) ([]string, []result.Skipped, error) {
	var out []string
	var skipped []result.Skipped
	for _, a := range args {
		if a == "-" {
			out = append(out, a)
			continue
		}
		fi, err := os.Stat(a)
		if err != nil {
			return nil, nil, &InputError{a, err}
		}
		if !fi.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				skipped = append(skipped, result.Skipped{Path: p, Reason: result.Msg("无法读取：%v", "cannot be read: %v", err)})
				if d != nil && d.IsDir() {
					return filepath.SkipDir
				}
			case d.IsDir() && p != a && strings.HasPrefix(d.Name(), "."):
				skipped = append(skipped, result.Skipped{Path: p, Reason: result.Text{Zh: "隐藏目录", En: "hidden directory"}})
				return filepath.SkipDir
			case d.IsDir():
			case !d.Type().IsRegular():
				skipped = append(skipped, result.Skipped{Path: p, Reason: result.Text{Zh: "不是普通文件", En: "not a regular file"}})
			case !docExts[strings.ToLower(filepath.Ext(p))]:
				skipped = append(skipped, result.Skipped{Path: p, Reason: result.Msg("扩展名「%s」不是可检查的文件类型", "extension %q is not a document type that is checked", filepath.Ext(p))})
			default:
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, nil, &InputError{a, err}
		}
		if len(found) == 0 {
			return nil, skipped, &InputError{a, errors.New("no document files (.html, .txt, .pdf, .doc, .docx, .wps, .xls, .xlsx, .ofd) in directory")}
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, skipped, nil
}

// Files checks local files ("-" reads stdin), all in one pass of the
// rules, so that reports of one agency's years are checked together.
func Files(ctx context.Context, paths []string, stdin io.Reader, opts Options) *result.Result {
	opts.defaults()
	rd := newReader(&opts)
	var reports []*annual.Report
	var hashes []string
	interrupted := false
files:
	for _, p := range paths {
		if ctx.Err() != nil {
			interrupted = true
			break
		}
		data, over, err := readInput(p, stdin, opts.Limits.MaxBytes)
		var r *annual.Report
		switch {
		case err != nil:
			// a file found in a directory that cannot be read is a finding,
			// not the end of the run
			r = annual.Failed(p, "", err)
		case len(data) == 0:
			r = annual.Failed(p, "", &document.ReadError{Err: fmt.Errorf("%s: the file is empty", p)})
		case over:
			r = annual.Failed(p, "", &document.ReadError{Format: extract.Sniff(data, p, ""),
				Err:   fmt.Errorf("%s: larger than %d bytes", p, opts.Limits.MaxBytes),
				Limit: result.Msg("文件大于%d字节的上限（--max-body），未读取", "the file is larger than the %d-byte limit (--max-body): not read", opts.Limits.MaxBytes)})
		default:
			r = annual.Read(ctx, rd, document.Input{Source: p, Data: data}, opts.Options, annual.Hints{}, "")
			if r.Limit != (result.Text{}) && ctx.Err() != nil {
				interrupted = true
				break files // the document was cut short by Ctrl-C: not a result
			}
		}
		reports = append(reports, r)
		hashes = append(hashes, digest(data))
	}
	res := Assemble(opts, reports, nil)
	for i, d := range res.Documents {
		if hashes[i] != "" && d.Error == "" {
			d.SHA256 = hashes[i]
		}
	}
	if interrupted {
		res.Incomplete = "interrupted"
	}
	return res
}

func digest(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// readInput reads a file or stdin up to limit bytes; over reports that
// there was more.
func readInput(p string, stdin io.Reader, limit int64) (data []byte, over bool, err error) {
	var r io.Reader
	if p == "-" {
		if stdin == nil {
			return nil, false, errors.New("no standard input")
		}
		r = stdin
	} else {
		f, err := os.Open(p)
		if err != nil {
			return nil, false, fmt.Errorf("open %w", err)
		}
		defer f.Close()
		r = f
	}
	data, err = io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %w", p, err)
	}
	if int64(len(data)) > limit {
		return data[:limit], true, nil
	}
	return data, false, nil
}
