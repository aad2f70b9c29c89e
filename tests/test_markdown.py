"""Markdown files are indexed and shown as the text a reader sees, without their syntax."""

from __future__ import annotations

from helpers import write_files

from indexer import build_index, get_document, search
from indexer.documents.markdown import markdown_text

ARTICLE = """\
# Pipeline talks **resume** in Moscow #

Officials met on *Tuesday* to discuss the [pipeline deal](https://example.org/deal "Deal").
See ![a map](map.png) and <https://example.org>, or the [report][1].

> A quoted _remark_ from the minister about the pipeline.

* first point with `code_name` and snake_case_word
+ second ~~old~~ point
- third point

Second heading
--------------

```
x = **kept** as written
```

***

[1]: https://example.org/report
2 * 3 * 4 = 24 and \\*stars\\*
"""


def test_markdown_text_keeps_the_words_and_the_lines():
    assert markdown_text(ARTICLE).splitlines() == [
        "Pipeline talks resume in Moscow",
        "",
        "Officials met on Tuesday to discuss the pipeline deal.",
        "See a map and https://example.org, or the report.",
        "",
        "A quoted remark from the minister about the pipeline.",
        "",
        "- first point with code_name and snake_case_word",
        "- second old point",
        "- third point",
        "",
        "Second heading",
        "",
        "",
        "",
        "x = **kept** as written",
        "",  # the closing fence
        "",
        "",  # the rule
        "",
        "",  # the link definition
        "2 * 3 * 4 = 24 and *stars*",
    ]


def test_snippets_and_pages_of_a_markdown_file_show_no_syntax(tmp_path):
    write_files(tmp_path / "src", {"talks.md": ARTICLE, "notes.txt": "Plain notes\n\nA **literal** pipeline note.\n"})
    build_index(tmp_path / "src", tmp_path / "index", jobs=1)
    page = search(tmp_path / "index", "pipeline deal")
    (hit,) = page.hits
    assert hit.title == "Pipeline talks resume in Moscow"
    snippets = " ".join(hit.snippets_html)
    assert "<mark>pipeline</mark> <mark>deal</mark>." in snippets
    for syntax in ("**", "](", "[", "#", "&gt;", "`"):
        assert syntax not in snippets
    body = get_document(tmp_path / "index", "talks.md").body_html
    assert "Officials met on Tuesday to discuss the pipeline deal." in body
    assert "](" not in body and "**resume**" not in body
    # A .txt file is text as written: its stars are its own.
    assert "A **literal** pipeline note." in get_document(tmp_path / "index", "notes.txt").body_html
