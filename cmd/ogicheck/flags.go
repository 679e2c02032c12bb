package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// usageError is a mistake in how ogicheck was called: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// command is one subcommand's flag set with the flags every subcommand has.
type command struct {
	name string
	fs   *flag.FlagSet
	help func() // prints the usage text for -h
	common
}

// common are the flags of every subcommand.
type common struct {
	lang      string
	tz        string
	verbose   bool
	logFormat string
}

func newCommand(name, usageLine, about string, stderr io.Writer) *command {
	c := &command{name: name, fs: flag.NewFlagSet(name, flag.ContinueOnError)}
	c.fs.SetOutput(io.Discard) // errors are reported once, with a suggestion, by parse
	c.fs.StringVar(&c.lang, "lang", defaultLang(), "language of findings, reports and messages: zh or en (default from the locale)")
	c.fs.StringVar(&c.tz, "tz", "Asia/Shanghai", "time zone of the times shown")
	c.fs.BoolVar(&c.verbose, "v", false, "log each step on standard error")
	c.fs.StringVar(&c.logFormat, "log-format", "", "log format: text or json (default text on a terminal, json otherwise)")
	c.fs.Usage = func() {} // a mistake gets one line from parse, not the flag list
	c.help = func() {
		fmt.Fprintf(stderr, "Usage: ogicheck %s\n\n%s\n\nFlags:\n", usageLine, about)
		c.fs.SetOutput(stderr)
		c.fs.PrintDefaults()
		c.fs.SetOutput(io.Discard)
	}
	return c
}

// errHelp asks for the usage text: exit status 0.
var errHelp = errors.New("help requested")

// parse parses flags wherever they appear among the arguments, so that
// "check a.html --format json" works like "check --format json a.html",
// and returns the positional arguments. An unknown flag gets the nearest
// known one as a suggestion instead of the whole list.
func (c *command) parse(args []string) ([]string, error) {
	var pos []string
	for {
		if err := c.fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				c.help()
				return nil, errHelp
			}
			return nil, c.flagError(err)
		}
		rest := c.fs.Args()
		if len(rest) == 0 {
			break
		}
		if rest[0] == "--" {
			pos = append(pos, rest[1:]...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	if c.lang != "zh" && c.lang != "en" {
		return nil, usagef("ogicheck %s: --lang %q: want zh or en", c.name, c.lang)
	}
	if _, err := time.LoadLocation(c.tz); err != nil {
		return nil, usagef("ogicheck %s: --tz %q: %v", c.name, c.tz, err)
	}
	switch c.logFormat {
	case "", "text", "json":
	default:
		return nil, usagef("ogicheck %s: --log-format %q: want text or json", c.name, c.logFormat)
	}
	return pos, nil
}

var undefinedFlag = regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)

func (c *command) flagError(err error) error {
	m := undefinedFlag.FindStringSubmatch(err.Error())
	if m == nil {
		return usagef("ogicheck %s: %v (see 'ogicheck %s -h')", c.name, err, c.name)
	}
	var names []string
	c.fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if s := suggest(m[1], names); s != "" {
		return usagef("ogicheck %s: unknown flag --%s: did you mean --%s?", c.name, m[1], s)
	}
	return usagef("ogicheck %s: unknown flag --%s (see 'ogicheck %s -h')", c.name, m[1], c.name)
}

func (c *common) location() *time.Location {
	loc, err := time.LoadLocation(c.tz)
	if err != nil {
		return time.UTC // parse has checked it
	}
	return loc
}

// suggest returns the candidate nearest to s when it is near enough to be
// a likely typo, "" otherwise.
func suggest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	sort.Strings(candidates)
	for _, c := range candidates {
		d := editDistance(strings.ToLower(s), strings.ToLower(c))
		if strings.HasPrefix(c, s) && len(s) >= 2 {
			d = min(d, 1)
		}
		if d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= max(1, len(s)/3) {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// byteSize is a flag value in bytes that accepts units: 50MB, 2MiB, 512k.
// KB, MB and GB are powers of 1000, KiB, MiB and GiB (and k, m, g) powers
// of 1024.
type byteSize int64

func (b *byteSize) String() string { return formatBytes(int64(*b)) }

func (b *byteSize) Set(s string) error {
	n, err := parseBytes(s)
	if err != nil {
		return err
	}
	*b = byteSize(n)
	return nil
}

var sizeRe = regexp.MustCompile(`^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*$`)

func parseBytes(s string) (int64, error) {
	m := sizeRe.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("size %q: want a number of bytes, optionally with a unit (50MB, 2MiB)", s)
	}
	units := map[string]float64{
		"": 1, "b": 1,
		"kb": 1e3, "mb": 1e6, "gb": 1e9,
		"k": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mib": 1 << 20, "g": 1 << 30, "gib": 1 << 30,
	}
	mult, ok := units[strings.ToLower(m[2])]
	if !ok {
		return 0, fmt.Errorf("size %q: unknown unit %q (B, KB, MB, GB, KiB, MiB, GiB)", s, m[2])
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil || v*mult > 1<<62 {
		return 0, fmt.Errorf("size %q is out of range", s)
	}
	return int64(v * mult), nil
}

func formatBytes(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return strconv.FormatInt(n/u.size, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10)
}

// defaultLang follows the locale: Chinese when it says zh, else English.
func defaultLang() string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" {
			if strings.HasPrefix(strings.ToLower(s), "zh") {
				return "zh"
			}
			return "en"
		}
	}
	return "en"
}
