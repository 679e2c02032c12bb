package main

import (
	"flag"
	"os"
	"testing"
)

// TestMain lets the parallel tests, which crawl test sites and mostly
// wait on their latencies and timeouts, run more at once than there are
// CPUs, unless -test.parallel says otherwise.
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		flag.Set("test.parallel", "8")
	}
	os.Exit(m.Run())
}
