#!/usr/bin/env bash
# Runs every fuzz target of the repository, one after the other.
#
#   scripts/fuzz.sh            each target for 3 minutes
#   scripts/fuzz.sh 10m        each target for 10 minutes (any go test -fuzztime value)
#   scripts/fuzz.sh -short     each target for 4 seconds, as CI runs it
#   scripts/fuzz.sh 1m internal/pdf FuzzPage    only the targets whose package or name holds one of the words
#
# Every target fails an input that takes over a second (see internal/hostile.Within), and
# minimisation is cut to a second: Go's default of a minute per new input stalls the workers.
# A failing input is written under the package's testdata/fuzz/<target>/, where go test
# replays it from then on. The exit status is 1 when any target failed.
set -uo pipefail
cd "$(dirname "$0")/.."

fuzztime=3m
if [ $# -gt 0 ]; then
	case "$1" in
	-short) fuzztime=4s ;;
	-h | --help)
		sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	*) fuzztime=$1 ;;
	esac
	shift
fi
filters=("$@")

targets=$(grep -rn '^func Fuzz' --include='*_test.go' . |
	sed -E 's#^\./(.*)/[^/]+_test\.go:[0-9]+:func (Fuzz[A-Za-z0-9_]*)\(.*#\1 \2#' | sort)
if [ -z "$targets" ]; then
	echo "fuzz.sh: no fuzz targets found" >&2
	exit 2
fi

failed=()
summary=()
while read -r pkg name; do
	if [ ${#filters[@]} -gt 0 ]; then
		keep=
		for f in "${filters[@]}"; do
			case "$pkg $name" in *"$f"*) keep=1 ;; esac
		done
		[ -n "$keep" ] || continue
	fi
	echo "=== $pkg $name ($fuzztime)"
	log=$(mktemp)
	corpus="$pkg/testdata/fuzz/$name"
	before=$(ls "$corpus" 2>/dev/null | wc -l)
	go test "./$pkg" -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" -fuzzminimizetime 1s 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	execs=$(grep -o 'execs: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	verdict=ok
	if [ "$status" -ne 0 ]; then
		verdict=FAIL
		# Go 1.26's fuzzing coordinator can report its own -fuzztime
		# deadline as a failure (go.dev/issue/75804, fixed in Go 1.27):
		# a bare "context deadline exceeded" with no failing input written
		# is that race, not a finding.
		after=$(ls "$corpus" 2>/dev/null | wc -l)
		if [ "$after" -eq "$before" ] && grep -q '^    context deadline exceeded$' "$log" && ! grep -q 'Failing input written' "$log"; then
			verdict="ok (the coordinator's deadline race, go.dev/issue/75804)"
		else
			failed+=("$pkg $name")
		fi
	fi
	rm -f "$log"
	summary+=("$(printf '%-24s %-20s %10s execs  %s' "$pkg" "$name" "${execs:-?}" "$verdict")")
done <<<"$targets"

echo
echo "=== summary ($fuzztime each)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
	echo "failed: ${failed[*]}" >&2
	exit 1
fi
