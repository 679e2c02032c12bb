// Package parallel lets the tests of packages that crawl test servers,
// which mostly wait on latencies and timeouts, run more parallel tests at
// once than there are CPUs. Only tests import it.
package parallel

import (
	"flag"
	"os"
	"strconv"
	"testing"
)

// Tests is how many parallel tests run at once unless -test.parallel says.
const Tests = 8

// Main is a TestMain: it sets -test.parallel to Tests unless it was given,
// then runs the tests.
func Main(m *testing.M) {
	flag.Parse()
	raise(flag.CommandLine)
	os.Exit(m.Run())
}

// raise sets fs's test.parallel to Tests unless it was set.
func raise(fs *flag.FlagSet) {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		fs.Set("test.parallel", strconv.Itoa(Tests))
	}
}
