package parallel

import (
	"flag"
	"testing"
)

// TestRaise: -test.parallel becomes Tests unless it was given.
func TestRaise(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "8"},
		{[]string{"-test.parallel", "3"}, "3"},
		{[]string{"-test.v"}, "8"},
	} {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		fs.Int("test.parallel", 2, "")
		fs.Bool("test.v", false, "")
		if err := fs.Parse(tt.args); err != nil {
			t.Fatal(err)
		}
		raise(fs)
		if got := fs.Lookup("test.parallel").Value.String(); got != tt.want {
			t.Errorf("%v: -test.parallel = %s, want %s", tt.args, got, tt.want)
		}
	}
}
