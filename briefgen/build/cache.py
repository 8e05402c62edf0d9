"""Each loaded source's cache: what loading it found, so that it need not be loaded again.

``.briefgen/cache/<slug>.json`` keeps a checked source's validated model (without its
transcript), verdicts and warnings, and the Markdown its site pages show as converted,
for as long as the key of its inputs is unchanged. The site pages are rebuilt from it
without loading, checking or converting unchanged sources again.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pydantic

from briefgen.build.seal import sealed, sealed_text, unsealed, unsealed_text
from briefgen.errors import Diagnostic, Severity
from briefgen.paths import display_path, find_root
from briefgen.render import markdown
from briefgen.site.gather import site_texts
from briefgen.source.loader import Document
from briefgen.source.model import Briefing
from briefgen.verify.check import LoadedSource
from briefgen.verify.quotes import Status, Verdict
from briefgen.writer import read_or_none

logger = logging.getLogger(__name__)

CACHE_DIR = ".briefgen/cache"


def cache_name(slug: str) -> str:
    """Return the output-relative path of a source's cache."""
    return f"{CACHE_DIR}/{slug}.json"


def warnings_name(slug: str) -> str:
    """Return the output-relative path of the warnings loading a source gave."""
    return f"{CACHE_DIR}/{slug}.warnings.json"


def _diagnostic_data(diagnostic: Diagnostic, display: str) -> dict[str, Any]:
    """Return a diagnostic as data; its own source's path is left to be filled in on reading."""
    data = diagnostic.as_dict()
    data["path"] = None if diagnostic.path == display else diagnostic.path
    return data


def cache_bytes(source: LoadedSource, key: str) -> bytes:
    """Serialise what loading a source found, to be restored while ``key`` is unchanged."""
    data = {
        "key": key,
        "briefing": source.briefing.model_dump(mode="json", exclude={"transcript"}),
        "verdicts": [dataclasses.asdict(v) for v in source.verdicts],
        "warnings": [_diagnostic_data(d, source.display) for d in source.warnings],
        "markdown": {text: markdown.converted(text) for text in site_texts(source.briefing)},
    }
    return json.dumps(sealed(data), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def warnings_bytes(source: LoadedSource, key: str) -> bytes:
    """Serialise the warnings loading a source gave, apart: a build with nothing to do
    reads them to say them again, and the whole cache is twenty times their size."""
    data = {"key": key, "warnings": [_diagnostic_data(d, source.display) for d in source.warnings]}
    return sealed_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


def _diagnostic(data: Mapping[str, Any], display: str) -> Diagnostic:
    """Read a cached diagnostic, located in the source as it is displayed now."""
    return Diagnostic(
        data["path"] or display,
        int(data["line"]),
        int(data["column"]),
        Severity(data["severity"]),
        str(data["field"]),
        str(data["message"]),
    )


def _cache(
    out_dir: Path, slug: str, key: str, staged: bytes | None = None
) -> dict[str, Any] | None:
    """Read a source's cache (from the output, or as staged now) if it was written for ``key``."""
    try:
        text = (out_dir / cache_name(slug)).read_bytes() if staged is None else staged
        data = json.loads(text)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        logger.info("%s: ignoring its unreadable cache (%s)", slug, exc)
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    trusted = unsealed(data)
    if trusted is None:
        logger.info("%s: ignoring a cache this user's builds did not write", slug)
    return trusted


def restore(
    out_dir: Path, path: Path, key: str, staged: bytes | None = None
) -> LoadedSource | None:
    """Rebuild a loaded source from its cache; None when the cache is missing or stale.

    The cache is read from the output, or given as ``staged`` by the build that made it.
    The source is not parsed again, so its document carries no line numbers, and its
    transcript is left out (half of a source, and the site only links to it; the meta
    says whether it has one): a restored source serves the site pages, never a
    briefing's own pages or diagnostics about its own text. Nor are its bytes read again
    (the key vouches for them): its ``raw`` is empty, and nothing the site does reads it.
    """
    data = _cache(out_dir, path.stem, key, staged)
    if data is None:
        return None
    display = display_path(path)
    try:
        briefing = Briefing.model_validate(data["briefing"])
        verdicts = [Verdict(**{**v, "status": Status(v["status"])}) for v in data["verdicts"]]
        warnings = [_diagnostic(d, display) for d in data["warnings"]]
        conversions = text_map(data["markdown"])
    except (ValueError, KeyError, TypeError, pydantic.ValidationError) as exc:
        logger.info("%s: ignoring its unreadable cache (%s)", path.stem, exc)
        return None
    markdown.keep(conversions)  # the site's pages show these texts: not converted again
    document = Document(display)
    root = find_root(path)
    return LoadedSource(path, display, path.stem, root, b"", document, briefing, warnings, verdicts)


def cached_warnings(out_dir: Path, path: Path, key: str) -> list[Diagnostic] | None:
    """Return the warnings loading a source gave, as kept for ``key``; None if not usable."""
    body = unsealed_text(read_or_none(out_dir / warnings_name(path.stem)))
    try:
        data = json.loads(body) if body is not None else None
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        display = display_path(path)
        return [_diagnostic(d, display) for d in data["warnings"]]
    except (ValueError, KeyError, TypeError) as exc:
        logger.info("%s: ignoring its unreadable warnings (%s)", path.stem, exc)
        return None


def text_map(data: Mapping[str, Any]) -> dict[str, str]:
    """Read a JSON object of text to text; TypeError if it is anything else."""
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise TypeError("expected an object of text to text")
    return dict(data)
