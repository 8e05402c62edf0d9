"""One source file read and validated, without Jinja: the format's models, configuration, YAML
loading with marks, schema messages, cross-references, git history and the `new` skeleton."""

from briefgen.source.config import Config, load_config
from briefgen.source.loader import Document, load_bytes, read_bytes
from briefgen.source.model import Briefing, json_schema

__all__ = [
    "Briefing",
    "Config",
    "Document",
    "json_schema",
    "load_bytes",
    "load_config",
    "read_bytes",
]
