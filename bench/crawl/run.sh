#!/bin/sh
# Crawl benchmark: ogicheck vs a bare colly collector vs `wget -r` on the same
# simulated disclosure internet (see bench/crawl/README.md).
#
# Usage: bench/crawl/run.sh              both scenarios: polite (100 ms delay,
#                                        robots.txt obeyed) and unthrottled
#        bench/crawl/run.sh FLAG...      one run with these flags of the
#                                        benchmark command (go run ./bench/crawl -h)
# ROUNDS=N sets the rounds of the default scenarios (default 3).
set -eu
cd "$(dirname "$0")/../.."

missing=""
command -v wget >/dev/null 2>&1 || missing="$missing wget"
[ -x /usr/bin/time ] || missing="$missing time"
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi

bin=$(mktemp -d "${TMPDIR:-/tmp}/ogicheck-crawl-bench.XXXXXX")
trap 'rm -rf "$bin"' EXIT INT TERM
go build -o "$bin/ogicheck" ./cmd/ogicheck
go build -o "$bin/barecolly" ./bench/crawl/barecolly
go build -o "$bin/crawl" ./bench/crawl

bench() {
	"$bin/crawl" -ogicheck "$bin/ogicheck" -barecolly "$bin/barecolly" -wget "$(command -v wget)" "$@"
}

echo "$(go version); $(nproc) CPUs; $(wget --version | head -n 1)"
if [ $# -gt 0 ]; then
	bench "$@"
	exit
fi
rounds=${ROUNDS:-3}
echo
echo "== polite: 100 ms between requests to a site, robots.txt and its Crawl-delay obeyed =="
bench -rounds "$rounds" -delay 100ms
echo
echo "== unthrottled: no delay, robots.txt ignored (the crawlers' own cost) =="
bench -rounds "$rounds" -delay 1ns -ignore-robots
