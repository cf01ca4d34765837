"""Uploads one file with tuspy (the tus project's Python client), as a strict peer of /api/uploads.

Usage: tuspy_upload.py ENDPOINT FILE TOKEN INTERVIEW_ID FILENAME CHUNK_SIZE
Prints one JSON object: every request tuspy made (method, status or error, Upload-Offset sent/received),
the upload URL and the headers of the final PATCH. Exit 1 when the upload failed.
"""
import json
import sys

import requests
from tusclient import client as tus_client
from tusclient import request as tus_request

endpoint, file_path, token, interview_id, filename, chunk_size = sys.argv[1:7]
log = []

# Record every PATCH tuspy sends and what came back, without changing how it behaves.
_perform = tus_request.TusRequest.perform


def perform(self):
    entry = {"method": "PATCH", "offset": self._request_headers.get("upload-offset")}
    try:
        _perform(self)
    except Exception as err:  # a dropped connection: tuspy retries after a HEAD
        entry["error"] = type(err).__name__
        log.append(entry)
        raise
    entry["status"] = self.status_code
    entry["uploadOffset"] = self.response_headers.get("upload-offset")
    entry["bodyLength"] = len(self.response_content or b"")
    log.append(entry)


tus_request.TusRequest.perform = perform

# HEAD (offset discovery on resume) goes through requests.head
_head = requests.head


def head(url, **kwargs):
    resp = _head(url, **kwargs)
    log.append({"method": "HEAD", "status": resp.status_code, "uploadOffset": resp.headers.get("upload-offset")})
    return resp


requests.head = head

c = tus_client.TusClient(endpoint, headers={"Authorization": "Bearer " + token})
uploader = c.uploader(
    file_path,
    chunk_size=int(chunk_size),
    metadata={"interviewId": interview_id, "filename": filename},
    retries=5,
    retry_delay=0.5,
)
result = {"ok": False}
try:
    uploader.upload()
    final = uploader.request
    result = {
        "ok": True,
        "url": uploader.url,
        "offset": uploader.offset,
        "finalStatus": final.status_code,
        "finalHeaders": {k.lower(): v for k, v in final.response_headers.items()},
    }
except Exception as err:
    result = {"ok": False, "error": "{}: {}".format(type(err).__name__, err)}
result["log"] = log
print(json.dumps(result))
sys.exit(0 if result["ok"] else 1)
