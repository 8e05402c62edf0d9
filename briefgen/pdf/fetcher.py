"""The confined URL fetcher: data: URIs and template files, nothing else."""

from __future__ import annotations

import functools
import mimetypes
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

MAX_FETCH_BYTES = 20_000_000


def file_url_path(url: str) -> Path | None:
    """Return the local path a ``file:`` URL names, or None for a remote host."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return None
    from urllib.request import url2pathname  # 12 ms: only workers fetch, never the parent

    return Path(url2pathname(parts.path))


def allowed_file(path: Path, folders: Sequence[Path]) -> Path | None:
    """Return the real path of a file inside one of the folders (symlinks resolved), else None."""
    try:
        real = path.resolve(strict=True)
        size = real.stat().st_size
    except (OSError, RuntimeError):
        return None
    inside = any(real.is_relative_to(folder) for folder in folders)
    return real if inside and real.is_file() and size <= MAX_FETCH_BYTES else None


@functools.cache
def fetcher_type() -> type:
    """Define the confined fetcher class (WeasyPrint is imported only in workers)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ConfinedFetcher(URLFetcher):
        """Fetch ``data:`` URIs and template files; refuse (and record) everything else."""

        def __init__(self, folders: Sequence[Path]) -> None:
            super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
            self.folders = tuple(folders)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            """Serve an allowed URL; raise (WeasyPrint then skips the resource) otherwise."""
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            path = file_url_path(url) if scheme == "file" else None
            real = allowed_file(path, self.folders) if path else None
            if real is None:
                self.refused.append(url if len(url) < 300 else url[:300] + "…")
                raise PermissionError(f"briefgen does not load {url[:300]} into PDFs")
            kind = mimetypes.guess_type(real.name)[0] or "application/octet-stream"
            return URLFetcherResponse(real.as_uri(), real.read_bytes(), {"Content-Type": kind})

    return ConfinedFetcher
