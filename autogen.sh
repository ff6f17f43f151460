#!/bin/sh
# Generate configure and Makefile.in from a clean checkout.
set -e
cd "$(dirname "$0")"
mkdir -p build-aux m4
autoreconf -fi
# The TAP driver ships with automake; every test here speaks TAP.
cp -f "$(automake --print-libdir)/tap-driver.sh" build-aux/tap-driver.sh
