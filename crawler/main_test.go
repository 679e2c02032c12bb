package crawler

import (
	"testing"

	"github.com/ogicheck/ogicheck/internal/parallel"
)

// TestMain lets the parallel tests, which mostly wait on test servers'
// latencies and timeouts, run more at once than there are CPUs.
func TestMain(m *testing.M) { parallel.Main(m) }
