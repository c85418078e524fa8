#!/usr/bin/env bash
# Set up everything `make run` and `make test` need, on a fresh Debian/Ubuntu machine (idempotent).
#   scripts/bootstrap.sh          the panel: python3-venv, PortAudio headers, the virtual environment
#   scripts/bootstrap.sh --test   also what the tests use: OBS Studio, Xvfb, ffmpeg, PulseAudio, fonts, espeak-ng
# System packages are installed with apt when we are root or have password-less sudo; otherwise we stop
# and print the exact command to run.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

need=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

PY=${PYTHON:-python3}
if ! have_cmd "$PY"; then need+=(python3); fi
if ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then need+=(python3-venv); fi
if have_cmd dpkg-query; then
  have_pkg portaudio19-dev || need+=(portaudio19-dev)
  have_pkg python3-dev || "$PY" -c 'import sysconfig,os,sys; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["include"],"Python.h")) else 1)' || need+=(python3-dev)
  have_cmd gcc || need+=(gcc)
  if [ "$want_test" = 1 ]; then
    for p in obs-studio xvfb xauth ffmpeg pulseaudio pulseaudio-utils fonts-noto-core espeak-ng sox libgl1-mesa-dri; do
      have_pkg "$p" || need+=("$p")
    done
  fi
elif [ "$(uname)" = "Linux" ]; then
  echo "Dit script kent alleen Debian/Ubuntu (apt). Installeer zelf de PortAudio-headers (portaudio-devel) en python3-venv." >&2
fi

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif have_cmd sudo && sudo -n true 2>/dev/null; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" = none ]; then
    echo "Ontbrekende systeempakketten: ${need[*]}" >&2
    echo "Voer dit eenmalig uit en probeer opnieuw:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
    exit 2
  fi
  echo "Systeempakketten installeren: ${need[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi

# The virtual environment, from a lock file: requirements.lock for the panel, requirements-dev.lock (the same
# versions plus the test and lint tools and the Whisper test model) for the tests. Reinstalled only when that
# lock file or pyproject changed, or when the tests need what a panel-only set-up did not install.
lock=requirements.lock
[ "$want_test" = 1 ] && lock=requirements-dev.lock
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.installed
installed=$(cat "$stamp" 2>/dev/null || true)
if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ] \
   || { [ "$lock" = requirements-dev.lock ] && [ "$installed" != requirements-dev.lock ]; }; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r "$lock"
  .venv/bin/python -m pip install -q --no-deps -e .
  [ "$installed" = requirements-dev.lock ] && lock=requirements-dev.lock  # never step back to fewer tools
  echo "$lock" > "$stamp"
fi

# The privacy scrubber's lookup data: deduce's Dutch name lists and the street and place sets, prepared once
# per deduce version (about a second) so that the panel loads them at start in a fraction of a second.
# Idempotent: skipped when ready (studio/deid/lookups.py says what is built and where).
.venv/bin/python -m studio.deid prepare >/dev/null
