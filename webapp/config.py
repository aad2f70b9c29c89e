"""SearchConfig: a search blueprint's settings, read once and checked when the blueprint is created."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import indexer
from indexer import SourceError
from indexer.searching.search import MAX_PAGE_SIZE

from . import strings
from .urls import checked_base_url

# Each setting an app's config may carry -> the SearchConfig field it fills.
SETTINGS = {
    "SEARCH_INDEX_DIR": "index_dir",
    "SEARCH_TITLE": "title",
    "SEARCH_PAGE_SIZE": "page_size",
    "SEARCH_BASE_URL": "base_url",
}
NAMES = {field: key for key, field in SETTINGS.items()}


class ConfigError(ValueError):
    """A setting the blueprint cannot work with; the message names the setting and what it takes."""


@dataclass(frozen=True)
class SearchConfig:
    """What one search blueprint serves and how.

    index_dir   the index to serve (relative: to the working folder when the config is made)
    source_dir  when given, a missing, outdated or damaged index is built from it on first use
    title       the site's name in page titles and the feed
    page_size   hits per results page, 1 to MAX_PAGE_SIZE
    base_url    the site's origin (https://news.example.org) for absolute links in the feed and
                OpenSearch description; None: only from a host the app trusts, else relative
    """

    index_dir: Path
    source_dir: Path | None = None
    title: str = strings.SITE_TITLE
    page_size: int = 10
    base_url: str | None = None

    def __post_init__(self):
        def set_field(name: str, value: object) -> None:  # frozen: the checked values are set once, here
            object.__setattr__(self, name, value)

        set_field("index_dir", Path(self.index_dir).resolve())
        if not isinstance(self.title, str) or not self.title.strip():
            raise ConfigError(f"{name_of('title')} must be a non-empty text, not {self.title!r}")
        set_field("page_size", checked_page_size(self.page_size))
        try:
            set_field("base_url", checked_base_url(self.base_url))
        except ValueError as error:
            raise ConfigError(f"{name_of('base_url')}: {error}") from None
        if self.source_dir is not None:
            set_field("source_dir", Path(self.source_dir).resolve())
            if not self.source_dir.is_dir() and not indexer.index_is_current(self.index_dir):
                raise SourceError(
                    f"cannot serve {self.index_dir}: there is no usable index there, and the source folder "
                    f"{self.source_dir} to build it from does not exist (relative paths are read from the working folder)"
                )

    @classmethod
    def from_settings(cls, settings: Mapping[str, object]) -> SearchConfig:
        """The config from SEARCH_* keys (a Flask app's config, the environment); absent keys take the defaults."""
        values = {field: settings[key] for key, field in SETTINGS.items() if settings.get(key) not in (None, "")}
        if "index_dir" not in values:
            raise ConfigError("SEARCH_INDEX_DIR must name the index folder to serve")
        return cls(**values)


def name_of(field: str) -> str:
    """How a message names a setting: both as the keyword and as the app setting."""
    return f"{field} ({NAMES[field]})" if field in NAMES else field


def checked_page_size(value: object) -> int:
    """A page size as an int in 1..MAX_PAGE_SIZE (settings from the environment are text)."""
    try:
        number = int(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or str(number) != str(value).strip() or not 1 <= number <= MAX_PAGE_SIZE:
        raise ConfigError(f"{name_of('page_size')} must be a whole number from 1 to {MAX_PAGE_SIZE}, not {value!r}")
    return number
