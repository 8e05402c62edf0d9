"""Open data other tools read: Akoma Ntoso debates, CSL-JSON references."""

from briefgen.export.akn import akn_debate
from briefgen.export.csl import csl_items
from briefgen.export.files import akn_file, csl_file, write_export

__all__ = ["akn_debate", "akn_file", "csl_file", "csl_items", "write_export"]
