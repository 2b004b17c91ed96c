#!/usr/bin/env bash
# Compares single bookings (POST /sessions) of two builds of the API: compare-reads.sh with WORKLOAD=bookings.
#
#   KEEP_LOAD=/tmp/seeded bash KetamineScheduling.Benchmarks/Load/api-load.sh 20000 10    # seeds, once
#   bash KetamineScheduling.Benchmarks/Load/compare-bookings.sh /tmp/seeded <rev-a> <rev-b> [rounds] [seconds]
WORKLOAD=bookings exec bash "$(dirname "$0")/compare-reads.sh" "$@"
