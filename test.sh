#!/usr/bin/env bash
# Runs every test: unit, actor and (as root, with /dev/net/tun) integration tests.
# As root it first installs the Debian tools the integration tests drive, if missing.
set -euo pipefail
cd "$(dirname "$0")"
.ci/install-deps
dotnet build Engine.sln -c Release --nologo -v quiet
dotnet test tests/Engine.Tests -c Release --no-build --nologo
dotnet test tests/Engine.IntegrationTests -c Release --no-build --nologo
