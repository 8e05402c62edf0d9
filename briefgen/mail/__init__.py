"""The e-mail summary of a briefing: plain text to paste, or a multipart .eml (stdlib only)."""

from briefgen.mail.summary import summary_message, summary_text

__all__ = ["summary_message", "summary_text"]
