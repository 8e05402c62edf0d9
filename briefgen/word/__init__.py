"""Word documents: the memo and the full brief as .docx, for clearance edits (python-docx)."""

from briefgen.word.document import full_brief, memo
from briefgen.word.page import REFERENCE

__all__ = ["REFERENCE", "full_brief", "memo"]
