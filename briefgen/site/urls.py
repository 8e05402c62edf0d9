"""Where the site's own pages live in the output: one file per person, topic and side."""

from __future__ import annotations

SEARCH_DIR = "pagefind"
SITE_FOLDERS = ("assets", "speakers", "topics", "sides", SEARCH_DIR)


def page_file(item_id: str) -> str:
    """Return the file name of a person's, topic's or side's page (see _site.html's twin).

    An id of ``index`` would overwrite the folder's index page; ids never start with an
    underscore, so ``_index.html`` cannot clash with another.
    """
    return f"{'_index' if item_id == 'index' else item_id}.html"


def person_page(person_id: str) -> str:
    """Return the output path of a person's page."""
    return f"speakers/{page_file(person_id)}"


def topic_page(topic_id: str) -> str:
    """Return the output path of a topic's page."""
    return f"topics/{page_file(topic_id)}"


def side_page(side_id: str) -> str:
    """Return the output path of a side's page."""
    return f"sides/{page_file(side_id)}"
