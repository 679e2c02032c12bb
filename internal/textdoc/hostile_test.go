package textdoc

import (
	"strings"
	"testing"

	"github.com/ogicheck/ogicheck/internal/hostile"
)

// Every loop over the lines checks the context: whenever the deadline
// passes, Read ends with the context's error.
func TestDeadline(t *testing.T) {
	hostile.ReadDeadlines(t, Read, []hostile.Case{
		{Name: "table rows", Data: []byte(strings.Repeat("a | b | c\n", 30_000)), Looks: 20},
		{Name: "prose", Data: []byte(strings.Repeat("一、总体情况\r", 30_000)), Looks: 20},
		{Name: "one long line", Data: []byte(strings.Repeat("1 ", 600_000)), Looks: 1},
	})
}
