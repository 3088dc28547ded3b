#!/usr/bin/env bash
# Runs every test: unit, actor and (as root, with /dev/net/tun) integration tests.
# As root it first installs the Debian tools the integration tests drive, if missing.
set -euo pipefail
cd "$(dirname "$0")"
.ci/install-deps
dotnet build Engine.sln -c Release --nologo -v quiet
# A test that hangs fails the run with its name instead of holding it until CI's own limit.
dotnet test tests/Engine.Tests -c Release --no-build --nologo --blame-hang-timeout 5m --blame-hang-dump-type none
dotnet test tests/Engine.IntegrationTests -c Release --no-build --nologo --blame-hang-timeout 10m --blame-hang-dump-type none
