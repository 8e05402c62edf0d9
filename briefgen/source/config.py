"""briefgen.yaml: the workspace's configuration, its defaults and its validation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    field_validator,
)

from briefgen.errors import ConfigError, Diagnostic, SourceError
from briefgen.paths import CONFIG_NAME, display_path, inside
from briefgen.source.loader import Document, load_yaml
from briefgen.source.model import printable
from briefgen.source.schema import validate_document

LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
MAX_LOGO_BYTES = 2_000_000

Line = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, pattern=r"^[^\n\r]*$"),
    AfterValidator(printable),
]
Marking = Annotated[
    str,
    StringConstraints(min_length=1, max_length=80, pattern=r"^[^\n\r]*$"),
    AfterValidator(printable),
]
Language = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2_000)]


class Outputs(BaseModel):
    """Which formats a build writes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    html: StrictBool = True
    pdf: StrictBool = True
    docx: StrictBool = False


class PdfLimits(BaseModel):
    """What one PDF may take to render: past either limit it fails, naming its source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    memory_mb: StrictInt = Field(
        default=1536, ge=64, le=1_048_576, description="Memory one PDF may use, in MB."
    )
    seconds: StrictInt | StrictFloat = Field(
        default=120, gt=0, le=86_400, description="Time one PDF may take, in seconds."
    )


class MemoHeader(BaseModel):
    """The memo's addressees: TO, FROM and THROUGH lines (DATE and SUBJECT come from the source)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    to: Line = Field(description="Who the memo is for: 'The Member'.")
    from_: Line = Field(
        alias="from", description="Who sends it: 'Jane Roe, Legislative Assistant'."
    )
    through: Line | None = Field(default=None, description="Who it passes through, if anyone.")


class Config(BaseModel):
    """The settings in ``briefgen.yaml`` at the workspace root; every one is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    organisation: Line | None = Field(default=None, description="Who prepares the briefings.")
    logo: Line | None = Field(
        default=None, description="Workspace path of a .png, .jpg or .svg logo."
    )
    marking: Marking | None = Field(
        default=None, description="Distribution marking, e.g. UNCLASSIFIED."
    )
    paper: Literal["letter", "a4"] = "letter"
    date_format: str = Field(default="%-d %B %Y", max_length=100, description="strftime format.")
    language: Language = Field(default="en", description="Language of the briefings (html lang).")
    base_url: Url | None = Field(default=None, description="Address of the published site.")
    outputs: Outputs = Field(default_factory=Outputs)
    memo: MemoHeader | None = Field(default=None, description="The one-page memo's header.")
    pdf_limits: PdfLimits = Field(default_factory=PdfLimits)

    @field_validator("date_format")
    @classmethod
    def _usable_format(cls, value: str) -> str:
        if "%" not in value or not dt.date(2019, 8, 7).strftime(value).strip():
            raise ValueError(f"'{value}' is not a date format; write e.g. '%-d %B %Y'")
        return value

    def format_date(self, date: dt.date) -> str:
        """Format a date the configured way."""
        return date.strftime(self.date_format)

    def logo_path(self, root: Path) -> Path | None:
        """Return the logo's resolved path, or None when no logo is configured."""
        return inside(root, self.logo) if self.logo else None


def load_config(root: Path) -> Config:
    """Read ``<root>/briefgen.yaml``; defaults when absent; ConfigError listing every problem."""
    path = root / CONFIG_NAME
    if not path.is_file():
        return Config()
    try:
        document = load_yaml(path, display_path(path))
    except SourceError as exc:
        if _blank(path):
            return Config()
        raise ConfigError(exc.diagnostics) from None
    config, problems = validate_document(document, Config)
    if config is not None:
        problems = check_logo(document, config, root)
    if config is None or problems:
        raise ConfigError(problems)
    return config


def _blank(path: Path) -> bool:
    """Tell whether a file holds nothing but comments and blank lines."""
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return False
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def check_logo(document: Document, config: Config, root: Path) -> list[Diagnostic]:
    """The logo must be an image file inside the workspace."""
    if config.logo is None:
        return []
    path = config.logo_path(root)
    message = None
    if path is None:
        message = f"'{config.logo}' is outside the workspace; put the logo inside {root.name}/"
    elif path.suffix.lower() not in LOGO_SUFFIXES:
        message = f"'{config.logo}' is not a .png, .jpg or .svg image"
    elif not path.is_file():
        message = f"'{config.logo}' does not exist (paths are relative to {CONFIG_NAME})"
    elif path.stat().st_size > MAX_LOGO_BYTES:
        message = f"'{config.logo}' is larger than {MAX_LOGO_BYTES // 1_000_000} MB"
    return [document.diagnostic(("logo",), message)] if message else []
