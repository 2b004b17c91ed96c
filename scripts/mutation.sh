#!/usr/bin/env bash
# Mutation testing of the domain: Stryker.NET mutates KetamineScheduling.Domain and runs the domain tests against
# every mutant. Not in CI: it takes about half an hour on two cores.
#
#   bash scripts/mutation.sh [extra stryker options, e.g. --concurrency 1 or --mutate "**/Clinical/*.cs"]
#
# The report is written to StrykerOutput/<timestamp>/reports/mutation-report.html (and .json); the score is printed
# at the end of the run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/KetamineScheduling.Tests"
dotnet tool restore >/dev/null
dotnet tool run dotnet-stryker \
  --project KetamineScheduling.Domain.csproj \
  --test-project KetamineScheduling.Tests.csproj \
  --configuration Release \
  --test-case-filter "FullyQualifiedName~KetamineScheduling.Tests.Domain" \
  --reporter html --reporter json --reporter progress --skip-version-check \
  --output "$root/StrykerOutput/$(date -u +%Y%m%dT%H%M%SZ)" \
  "$@"
