"""The e-mail summary: plain text a staffer pastes into a message, or a whole .eml to open."""

from __future__ import annotations

import datetime as dt
import html
import textwrap
from email.message import EmailMessage
from email.policy import SMTP

from briefgen.render import markdown
from briefgen.render.meta import Revision
from briefgen.site.pages import site_url
from briefgen.source.config import Config
from briefgen.source.model import Briefing

WIDTH = 72
_CSS = {
    "body": "font-family:Georgia,serif;font-size:15px;line-height:1.5;color:#1d1f23;max-width:40em",
    "marking": "font-family:Arial,sans-serif;font-size:12px;font-weight:bold;text-align:center",
    "h1": "font-family:Arial,sans-serif;font-size:20px;color:#15325b;margin:8px 0",
    "h2": "font-family:Arial,sans-serif;font-size:13px;color:#15325b;text-transform:uppercase",
    "bluf": "background:#eef2f8;border-left:4px solid #15325b;padding:8px 12px",
}


def subject(b: Briefing, config: Config) -> str:
    """The subject line: marking, then what happened."""
    marking = f"[{config.marking}] " if config.marking else ""
    return f"{marking}{b.event.headline or b.event.title}"


def _paragraph(text: str, first: str = "", rest: str = "") -> str:
    """Wrap one paragraph at 72 columns."""
    return textwrap.fill(
        text, WIDTH, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    )


def _parts(b: Briefing, revision: Revision, link: str | None) -> list[tuple[str, list[str]]]:
    """The summary's sections as (heading, plain-text items)."""
    plain = markdown.plain_text
    parts = [("Bottom line", [plain(b.event.summary)])]
    if b.takeaways:
        parts.append(("Takeaways", [plain(t) for t in b.takeaways]))
    if revision.changes:
        parts.append((f"Changes since {revision.since}", [c.summary for c in revision.changes]))
    if link:
        parts.append(("Full briefing", [link]))
    return parts


def summary_text(b: Briefing, revision: Revision, config: Config, slug: str) -> str:
    """Return the plain-text summary, wrapped at 72 columns."""
    e = b.event
    lines = [f"Subject: {subject(b, config)}", ""]
    if config.marking:
        lines += [config.marking, ""]
    lines += [
        _paragraph(e.headline or e.title),
        _paragraph(f"{e.title}, {e.host}, {_day(e.date, config)}"),
        "",
    ]
    for heading, items in _parts(b, revision, _link(config, slug)):
        lines.append(heading.upper())
        bullet = len(items) > 1 or heading == "Takeaways"
        lines += [_paragraph(i, "- ", "  ") if bullet else _paragraph(i) for i in items]
        lines.append("")
    if config.marking:
        lines.append(config.marking)
    return "\n".join(lines).rstrip() + "\n"


def _day(date: dt.date, config: Config) -> str:
    """A date as the workspace writes it (``date_format``): 7 August 2019."""
    return date.strftime(config.date_format)


def _link(config: Config, slug: str) -> str | None:
    """The published page's address, when the site has a base URL."""
    return site_url(config.base_url, f"{slug}/index.html") if config.base_url else None


def summary_html(b: Briefing, revision: Revision, config: Config, slug: str) -> str:
    """Return the summary as a small HTML document: inline CSS, no remote images."""
    esc, e = html.escape, b.event
    out = [f'<html><body style="{_CSS["body"]}">']
    if config.marking:
        out.append(f'<p style="{_CSS["marking"]}">{esc(config.marking)}</p>')
    out.append(f'<h1 style="{_CSS["h1"]}">{esc(e.headline or e.title)}</h1>')
    out.append(f"<p>{esc(e.title)}, {esc(e.host)}, {esc(_day(e.date, config))}</p>")
    for heading, items in _parts(b, revision, _link(config, slug)):
        out.append(f'<h2 style="{_CSS["h2"]}">{esc(heading)}</h2>')
        if heading == "Full briefing":
            out.append(f'<p><a href="{esc(items[0])}">{esc(items[0])}</a></p>')
        elif heading == "Bottom line":
            out.append(f'<p style="{_CSS["bluf"]}">{esc(items[0])}</p>')
        else:
            out.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")
    if config.marking:
        out.append(f'<p style="{_CSS["marking"]}">{esc(config.marking)}</p>')
    return "\n".join([*out, "</body></html>"]) + "\n"


def summary_message(b: Briefing, revision: Revision, config: Config, slug: str) -> bytes:
    """Return a multipart/alternative message (text and HTML), ready for a mail client."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject(b, config)
    message["From"] = config.organisation or "briefgen"
    message["X-Unsent"] = "1"  # clients open it as a draft to address and send
    text = summary_text(b, revision, config, slug).split("\n", 2)[2]  # no Subject: line
    message.set_content(text)
    message.add_alternative(summary_html(b, revision, config, slug), subtype="html")
    return message.as_bytes()
