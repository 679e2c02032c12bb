#!/bin/sh
# Benchmarks internal/pdf against `pdftotext -layout` (poppler-utils).
# Usage: bench/pdf/run.sh [-n 20] [file.pdf ...]
set -eu
cd "$(dirname "$0")/../.."
if ! command -v pdftotext >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq poppler-utils
fi
exec go run ./bench/pdf "$@"
