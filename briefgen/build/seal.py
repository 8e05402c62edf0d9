"""Seals on what a build reads back from the output: only what this user's builds wrote is trusted.

The manifest, each source's cache and the revision records decide what a page shows
and which files a build removes. Anyone who can write to ``output/`` (a shared folder, a
copy unpacked from elsewhere) could plant them. Each is sealed with an HMAC under a
secret kept outside the output, in the user's state folder; a file whose seal does not
match is ignored, and what it would have saved is rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

SEAL_FIELD = "seal"
TEXT_SEAL = b"# briefgen-seal "
SECRET_BYTES = 32


def state_folder() -> Path:
    """Return the folder of briefgen's per-user state ($XDG_STATE_HOME/briefgen)."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local/state")
    return Path(base) / "briefgen"


@functools.cache
def _secret() -> bytes:
    """Return this user's secret, made on first use; a per-process one if it cannot be kept."""
    path = state_folder() / "secret"
    try:
        data = path.read_bytes()
        if len(data) == SECRET_BYTES:
            return data
    except OSError:
        pass
    data = secrets.token_bytes(SECRET_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp = path.with_name(f".secret-{secrets.token_hex(4)}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(temp, path)
    except OSError as exc:
        logger.info("cannot keep a secret in %s (%s): every build starts afresh", path, exc)
    return data


def _mac(data: bytes) -> str:
    """Return the seal of some bytes."""
    return hmac.new(_secret(), data, hashlib.sha256).hexdigest()


def _canonical(data: Mapping[str, Any]) -> bytes:
    """Return the bytes a JSON object is sealed over: the same before writing and after reading."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sealed(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return a JSON object with its seal added."""
    return {**data, SEAL_FIELD: _mac(_canonical(data))}


def unsealed(data: Any) -> dict[str, Any] | None:
    """Return a JSON object read back without its seal; None if the seal is missing or wrong."""
    if not isinstance(data, dict):
        return None
    body = {key: value for key, value in data.items() if key != SEAL_FIELD}
    seal = data.get(SEAL_FIELD)
    if isinstance(seal, str) and hmac.compare_digest(seal, _mac(_canonical(body))):
        return body
    return None


def sealed_text(raw: bytes) -> bytes:
    """Return a YAML file with a comment line sealing the rest (it still loads as YAML)."""
    return TEXT_SEAL + _mac(raw).encode() + b"\n" + raw


def unsealed_text(raw: bytes | None) -> bytes | None:
    """Return a sealed YAML file's content; None if its seal is missing or wrong."""
    if raw is None or not raw.startswith(TEXT_SEAL):
        return None
    head, _, body = raw.partition(b"\n")
    seal = head[len(TEXT_SEAL) :].decode("ascii", "replace")
    return body if hmac.compare_digest(seal, _mac(body)) else None


def file_digest(data: bytes) -> str:
    """Return the digest the manifest records of a file it wrote."""
    return hashlib.sha256(data).hexdigest()[:32]
