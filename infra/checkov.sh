#!/usr/bin/env bash
# Runs checkov on infra/ (Bicep) from its own virtualenv under .local/, creating or refreshing it when
# infra/requirements-checkov.txt changes. Extra arguments go to checkov (e.g. `-o json`).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
venv="$repo/.local/checkov-venv"
requirements="$repo/infra/requirements-checkov.txt"
stamp="$venv/.requirements"

# Several test runs may start at once on a fresh machine: one builds the venv, the others wait for it.
mkdir -p "$repo/.local"
exec 9>"$repo/.local/checkov-venv.lock"
flock 9
# A stamp holding the requirements it was built from makes a changed pin rebuild the venv.
if [ ! -x "$venv/bin/checkov" ] || ! cmp -s "$requirements" "$stamp"; then
  "${PYTHON:-python3}" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
  cp "$requirements" "$stamp"
fi
flock --unlock 9

cd "$repo/infra"
# --skip-download: no calls to Prisma Cloud for check metadata; the run stays offline.
exec "$venv/bin/checkov" --directory . --framework bicep --skip-download --compact "$@"
