"""`briefgen serve`: build, serve the output on 127.0.0.1, rebuild on each edit, reload pages."""

from briefgen.preview.server import Preview

__all__ = ["Preview"]
