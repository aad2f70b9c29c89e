"""Every string the search pages show, in one place, ready for translation."""

from __future__ import annotations

from indexer.documents.language import LANGUAGE_NAMES  # noqa: F401 - a name for every code the indexer gives

SITE_TITLE = "News search"
SEARCH_LABEL = "Search the articles"
SEARCH_PLACEHOLDER = 'words, "a phrase", person:Name, title:word, -exclude'
SEARCH_BUTTON = "Search"
SEARCH_HINT = "Press / to search."
SKIP_TO_RESULTS = "Skip to results"
SKIP_TO_FILTERS = "Skip to filters"
BACK_TO_RESULTS = "Back to the results ↑"

# Facets: heading, and the accessible name of each value's toggle link.
FACET_LABELS = {
    "year": "Year",
    "person": "Person",
    "org": "Organisation",
    "place": "Place",
    "country": "Country",
    "source": "Source",
    "lang": "Language",
    "folder": "Folder",
    "type": "File type",
}
FACET_FILTER = "Filter by {facet}: {value} ({count})"
FACET_REMOVE = "Remove filter {facet}: {value} ({count})"
FACET_EXCLUDE = "Exclude {facet}: {value}"
FACET_UNEXCLUDE = "Stop excluding {facet}: {value} ({count} hidden)"
FACET_EXCLUDE_MARK = "−"  # the exclude control beside each value
FACET_EXCLUDED_NOTE = "hidden"
FACET_TOP = "Top {shown} of {total}"
FACET_SHOW_MORE = "Show {count} more"
FACET_SHOW_ALL = "Show all {total}"
FACET_SHOW_TOP = "Show the top {shown} of {total}"
FACET_CUT = "Only the {shown} most frequent of {total} are listed: narrow the search to see the others."
FACET_FIND = {
    "person": "Find a person",
    "org": "Find an organisation",
    "place": "Find a place",
    "source": "Find a source",
    "country": "Find a country",
    "folder": "Find a folder",
}
FACET_FIND_BUTTON = "Find"
FACET_FIND_CLEAR = "Back to the top values"
FACET_FOUND = "{first}–{last} of {total} matching “{text}”"
FACET_FOUND_NONE = "None matching “{text}”"
FACET_FOUND_PREVIOUS = "Previous values"
FACET_FOUND_NEXT = "Next values"
FACETS_HEADING = "Refine"
JUMP_TO_FACETS = "Refine ↓"

FILTERS_HEADING = "Active filters"
CHIP_LABEL = "{facet}: {value}"
CHIP_EXCLUDED = "not: {value}"
CHIP_REMOVE = "Remove filter {facet}: {value}"
CHIP_UNEXCLUDE = "Stop excluding {facet}: {value}"
DATE_FROM_CHIP = "From {date}"
DATE_TO_CHIP = "Until {date}"
CLEAR_ALL = "Clear all filters"

DATES_LEGEND = "Published"
TIMELINE_HEADING = {
    "day": "Published, by day",
    "week": "Published, by week",
    "month": "Published, by month",
    "year": "Published, by year",
}
TIMELINE_WEEK = "Week of {day} {month} {year}"
TIMELINE_BAR = {1: "{label}: 1 article"}
TIMELINE_BAR_MANY = "{label}: {count} articles"
TIMELINE_UNDATED = "undated: {count}"
TIMELINE_TABLE = "The timeline as a table"
TIMELINE_PERIOD = "Period"
TIMELINE_COUNT = "Articles"
DATE_FROM_LABEL = "From"
DATE_TO_LABEL = "To"
SORT_LABEL = "Sort by"
# The empty choice leaves the order to the search: by relevance, or newest first when browsing.
SORT_NAMES = {"": "Best match", "newest": "Newest first", "oldest": "Oldest first"}
APPLY = "Apply"

RESULTS_COUNT = {0: "No results", 1: "1 result"}
RESULTS_COUNT_MANY = "{total} results"
RESULTS_TIME = "in {ms} ms"
RESULTS_RANGE = "showing {first}–{last}"
BROWSE_HEADING = "All articles, newest first"
DID_YOU_MEAN = "Did you mean"
RELAX_HEADING = "Try instead:"
RELAX_ANY_WORDS = "Search for any of the words ({total})"
RELAX_DROP_FILTER = "Drop the filter {facet}: {value} ({total})"
RELAX_DROP_DATES = "Drop the date range ({total})"
RELAX_SWAP_DATES = "Search from {date_to} to {date_from} instead"
NO_RESULTS_HELP = "Check the spelling, use fewer words, or remove some filters."

PAGINATION_LABEL = "Pages"
PREVIOUS = "Previous"
NEXT = "Next"
PAGE_LABEL = "Page {number}"

EXPORT_HEADING = "Take the results"
FEED_LINK = "Atom feed"
CSV_LINK = "CSV"
JSONL_LINK = "JSON lines"
API_LINK = "JSON"
FEED_TITLE = "{site}: {query}"
FEED_TITLE_ALL = "{site}: newest articles"
FEED_TITLE_FILTERED = "{title} ({filters})"

BAD_DATE = "“{value}” is not a date like 2015-11-10, so the “{name}” date was ignored."
BAD_SORT = "“{value}” is not a way to sort; showing the most relevant first."
BAD_PAGE = "“{value}” is not a page number; showing page {page}."
DATES_REVERSED = "The “from” date {date_from} is after the “to” date {date_to}, so no article can match."
TOO_MANY_VALUES = "Only the first {limit} of the {count} “{facet}” filters were used."

DOCUMENT_BACK = "Back to the results"
ENTITY_LINK = "About {value}: articles, timeline, names beside it"
ENTITY_COUNT = {1: "Named in 1 article"}
ENTITY_COUNT_MANY = "Named in {total} articles"
ENTITY_ALL = "Search these articles"
ENTITY_LATEST = "Latest articles"
ENTITY_NAMED_WITH = {
    "person": "People named with it",
    "org": "Organisations named with it",
    "place": "Places named with it",
}
ENTITY_BOTH = "articles naming both"
MATCH_PREVIOUS = "↑ Previous match (p)"
MATCH_NEXT = "↓ Next match (n)"
DOCUMENT_META = "About this article"
DOCUMENT_DATE = "Date"
DOCUMENT_SOURCE = "Source"
DOCUMENT_LANGUAGE = "Language"
DOCUMENT_AUTHOR = "Author"
DOCUMENT_FILE = "File"
DOCUMENT_PARTS = "Parts of this file"
DOCUMENT_PART_PREVIOUS = "← Previous part"
DOCUMENT_PART_NEXT = "Next part →"
DOCUMENT_PAGE = "page {number}"  # of a PDF or a scan
DOCUMENT_PEOPLE = "People"
DOCUMENT_ORGS = "Organisations"
DOCUMENT_PLACES = "Places"
DOCUMENT_DATES = "Dates mentioned"
DOCUMENT_ORIGINAL = "Original article"
DOCUMENT_ORIGINAL_UNLINKED = "Original address (not a web link)"
DOCUMENT_SIMILAR = "More like this"
DOCUMENT_VERSIONS = "Near-identical versions"
DOCUMENT_FILE_DOWNLOAD = "Download the original file"
VERSIONS_COUNT = {1: "1 near-identical version"}
VERSIONS_COUNT_MANY = "{count} near-identical versions"
VERSIONS_MORE = "All {count} on the document's page"
VERSIONS_FOLDED = {1: "1 near-identical version folded into its first"}
VERSIONS_FOLDED_MANY = "{count} near-identical versions folded into the first of each"
VERSIONS_SHOW_ALL = "Show every version"
VERSIONS_FOLD = "Fold near-identical versions"
VERSIONS_SHOWN = "Every version shown"
ORIGINAL_UNAVAILABLE = "The original file cannot be downloaded: {reason}."
DOCUMENT_NAME_FILTER = "Search articles with {facet}: {value}"
NOT_FOUND_TITLE = "Not found"
NOT_FOUND = "There is no article with this address. It may have been removed when the index was rebuilt."
INDEX_UNAVAILABLE_TITLE = "Search is unavailable"
BAD_REQUEST = "The request could not be read."

OPENSEARCH_DESCRIPTION = "Full-text search of the news articles"
