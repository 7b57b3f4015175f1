#!/usr/bin/env bash
# Registers the VAPI assistant defined in the repository (src/assistant.rs): creates it, or
# updates it when it differs, and prints what changed. See README, "Registering the assistant".
#
# Usage: scripts/register-assistant.sh [--dry-run]
#   --dry-run  print the request body (secrets masked) and the diff; write nothing to VAPI.
#              Works without VAPI_API_KEY: the live assistant is then not looked up.
#
# Settings come from the environment or .env: VAPI_API_KEY, PUBLIC_URL, BUSINESS_TIMEZONE,
# and optionally VAPI_WEBHOOK_SECRET, VAPI_ASSISTANT_NAME, VAPI_ASSISTANT_ID,
# VAPI_ASSISTANT_OVERRIDES_FILE, VAPI_API_URL, TOOL_DEADLINE_MS.
# VAPI_CAL_BIN runs an installed vapi-cal binary instead of `cargo run --release`.
set -euo pipefail
cd "$(dirname "$0")/.."

dry_run=""
for arg in "$@"; do
  case "$arg" in
    --dry-run) dry_run="--dry-run" ;;
    -h | --help)
      sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "unknown argument: $arg (usage: $0 [--dry-run])" >&2
      exit 2
      ;;
  esac
done

# A setting's value from the environment, else from .env (last assignment wins).
setting() {
  local name="$1"
  if [ -n "${!name:-}" ]; then
    printf '%s' "${!name}"
  elif [ -f .env ]; then
    grep -E "^[[:space:]]*${name}=" .env | tail -n 1 | cut -d= -f2- | sed -e 's/^["'\'']//' -e 's/["'\'']$//'
  fi
}

missing=()
for name in PUBLIC_URL BUSINESS_TIMEZONE; do
  [ -n "$(setting "$name")" ] || missing+=("$name")
done
if [ -z "$(setting VAPI_API_KEY)" ]; then
  if [ -n "$dry_run" ]; then
    echo "VAPI_API_KEY is not set: the dry run will not look up the live assistant on VAPI." >&2
  else
    missing+=("VAPI_API_KEY")
  fi
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing setting(s): ${missing[*]}. Set them in the environment or .env (see .env.example)." >&2
  exit 1
fi
if [ -z "$(setting VAPI_WEBHOOK_SECRET)" ]; then
  echo "warning: VAPI_WEBHOOK_SECRET is not set; VAPI will call the webhook without credentials." >&2
fi

if [ -n "${VAPI_CAL_BIN:-}" ]; then
  exec "$VAPI_CAL_BIN" assistant push $dry_run
fi
exec cargo run --release --quiet -- assistant push $dry_run
