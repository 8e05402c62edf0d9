"""PDFs from print HTML: WeasyPrint in bounded worker processes behind a confined URL fetcher.

The only package that imports weasyprint, and only inside the worker processes
(``worker.py``), so that a build without PDFs, or the parent of the workers, never pays
for it.
"""

from briefgen.pdf.jobs import PdfJob, PdfOutput, source_date
from briefgen.pdf.pool import PdfPool, render_pdf, render_pdfs

__all__ = ["PdfJob", "PdfOutput", "PdfPool", "render_pdf", "render_pdfs", "source_date"]
