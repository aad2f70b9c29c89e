"""Near-identical documents: found at build time, kept right by updates, folded in results."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections import defaultdict

import pytest
from helpers import FIRST_SEED, ROOT, SECOND_SEED, SEEDS_DIR, corpus, run_bench_tool, write_files

from indexer import SearchIndex, build_index, get_document, index_stats, search, update_index
from indexer.backend import SearchRequest
from indexer.nearduplicates import read_groups
from indexer.searching.scoring import PostingScorer
from indexer.store import current_generation


def groups_of(index_dir) -> dict[str, tuple[str, ...]]:
    """Each grouped document id -> its whole group."""
    return {doc: group for group in read_groups(current_generation(index_dir)) for doc in group}


def exact_copies(folder) -> list[list[str]]:
    """Files of `folder` whose bytes are the same as another's, by groups."""
    by_hash = defaultdict(list)
    for path in sorted(folder.rglob("*.txt")):
        by_hash[hashlib.sha1(path.read_bytes()).hexdigest()].append(str(path.relative_to(folder)))
    return [paths for paths in by_hash.values() if len(paths) > 1]


@pytest.fixture(scope="module")
def bbc_index(tmp_path_factory):
    source = corpus("bbc") / "docs"
    index_dir = tmp_path_factory.mktemp("bbc-index")
    build_index(source, index_dir)
    return source, index_dir


def test_every_exact_duplicate_of_the_bbc_corpus_is_found(bbc_index):
    source, index_dir = bbc_index
    copies = exact_copies(source)
    assert len(copies) == 98  # as the corpus README says: 98 articles occur twice
    groups = groups_of(index_dir)
    missed = [paths for paths in copies if paths[0] not in groups or set(paths) - set(groups[paths[0]])]
    assert missed == []


def test_bbc_results_fold_a_duplicate_and_list_it(bbc_index):
    source, index_dir = bbc_index
    first, second = next(paths for paths in exact_copies(source) if paths[0].startswith("tech/"))
    title = (source / first).read_text().splitlines()[0]
    folded = search(index_dir, f'"{title}"')
    assert folded.total == 2 and folded.distinct == 1
    (hit,) = [hit for hit in folded.hits if hit.id in (first, second)]
    assert [version.id for version in hit.versions] == [second if hit.id == first else first]
    assert hit.group == min(first, second)  # undated: the leader is the first by id

    unfolded = search(index_dir, f'"{title}"', fold_versions=False)
    assert {hit.id for hit in unfolded.hits} >= {first, second} and unfolded.distinct == unfolded.total

    view = get_document(index_dir, second)
    assert [version.id for version in view.hit.versions] == [first]
    assert first not in [other.id for other in view.similar]  # listed as a version, not again as "similar"


def test_paging_through_folded_results_shows_each_group_once(bbc_index):
    _, index_dir = bbc_index
    index = SearchIndex(index_dir)
    first = search(index, "", page_size=100)
    pages = [search(index, "", page=number, page_size=100) for number in range(1, first.page_count + 1)]
    shown = [hit.id for page in pages for hit in page.hits]
    folded_away = {version.id for page in pages for hit in page.hits for version in hit.versions}
    assert len(shown) == len(set(shown)) == first.distinct < first.total == 2225
    assert folded_away.isdisjoint(shown) and len(shown) + len(folded_away) == first.total


def seed_text(name: str) -> str:
    return (SEEDS_DIR / name).read_text(encoding="utf-8")


def edited(text: str) -> str:
    """A resent version: a sentence added at the end."""
    return f"{text.rstrip()}\nThis story was corrected to fix a typing error in the second paragraph.\n"


def test_an_update_keeps_the_groups_right(tmp_path):
    first, second = seed_text(FIRST_SEED), seed_text(SECOND_SEED)
    source = write_files(tmp_path / "source", {"a.txt": first, "b.txt": second})
    index_dir = tmp_path / "index"
    build_index(source, index_dir, jobs=1)
    assert groups_of(index_dir) == {}

    write_files(source, {"news/a-resent.txt": edited(first)})  # a new version of an indexed document
    update_index(source, index_dir, jobs=1)
    assert groups_of(index_dir)["a.txt"] == ("a.txt", "news/a-resent.txt")
    assert search(index_dir, "").distinct == 2

    write_files(source, {"c.txt": edited(second)})
    update_index(source, index_dir, jobs=1)
    assert groups_of(index_dir)["b.txt"] == ("b.txt", "c.txt")
    assert groups_of(index_dir)["a.txt"] == ("a.txt", "news/a-resent.txt")  # carried over, not reread

    write_files(source, {"c.txt": "A different story\n\nNothing in common with any other document here."})
    (source / "a.txt").unlink()
    update_index(source, index_dir, jobs=1)
    assert groups_of(index_dir) == {}
    assert search(index_dir, "").distinct == search(index_dir, "").total == 3


def test_a_template_story_of_another_week_is_not_a_version(tmp_path):
    text = seed_text(FIRST_SEED)
    later = text.replace("2017-03-23", "2017-04-23").replace("April 18th, 2017", "May 18th, 2017")
    source = write_files(tmp_path / "source", {"a.txt": text, "b.txt": later, "c.txt": edited(text)})
    index_dir = tmp_path / "index"
    build_index(source, index_dir, jobs=1)
    groups = groups_of(index_dir)
    assert groups["a.txt"] == ("a.txt", "c.txt") and "b.txt" not in groups


def test_the_json_api_gives_versions_and_the_distinct_count(tmp_path):
    from webapp import create_app

    text = seed_text(FIRST_SEED)
    source = write_files(tmp_path / "source", {"a.txt": text, "b.txt": edited(text), "z.txt": seed_text(SECOND_SEED)})
    build_index(source, tmp_path / "index", jobs=1)
    client = create_app({"SEARCH_INDEX_DIR": str(tmp_path / "index"), "TESTING": True}).test_client()
    data = client.get("/api/search?q=memorandum").get_json()
    assert (data["total"], data["distinct"]) == (2, 1)
    (hit,) = data["hits"]
    assert hit["group"] == "a.txt" and [version["id"] for version in hit["versions"]] == ["b.txt"]
    assert data["versions_note"]["url"] == "/?q=memorandum&versions=all"

    every = client.get(data["versions_note"]["url"].replace("/?", "/api/search?")).get_json()
    assert (every["total"], every["distinct"]) == (2, 2) and {hit["id"] for hit in every["hits"]} == {"a.txt", "b.txt"}
    assert all(hit["versions"] == [] for hit in every["hits"])

    page = client.get("/?q=memorandum").get_data(as_text=True)
    assert "<summary>1 near-identical version</summary>" in page and 'href="/doc/b.txt?q=memorandum"' in page
    document = client.get("/doc/b.txt").get_data(as_text=True)
    assert "Near-identical versions" in document and 'href="/doc/a.txt"' in document


def test_a_copy_of_the_seeds_makes_groups_of_two(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(SEEDS_DIR, source / "one")
    shutil.copytree(SEEDS_DIR, source / "two")
    build_index(source, tmp_path / "index", jobs=1)
    assert sorted(read_groups(current_generation(tmp_path / "index"))) == [
        (f"one/{FIRST_SEED}", f"two/{FIRST_SEED}"),
        (f"one/{SECOND_SEED}", f"two/{SECOND_SEED}"),
    ]
    report = run_bench_tool(ROOT / "bench" / "duplicates.py", str(tmp_path / "index"), str(source))
    assert report == {"groups": 2, "grouped_documents": 4, "exact_copy_groups": 2, "exact_copy_groups_found": 2}
    stats = index_stats(tmp_path / "index")
    assert (stats["versions"], stats["version_groups"]) == (4, 2)
    similar = [other.id for other in get_document(tmp_path / "index", f"one/{FIRST_SEED}").similar]
    assert similar in ([f"one/{SECOND_SEED}"], [f"two/{SECOND_SEED}"])  # one of a group, and not its own version


def test_the_cli_folds_versions_unless_asked_for_all(tmp_path):
    from click.testing import CliRunner

    from indexer.cli import main

    text = seed_text(FIRST_SEED)
    source = write_files(tmp_path / "source", {"a.txt": text, "b.txt": edited(text)})
    build_index(source, tmp_path / "index", jobs=1)
    run = CliRunner()
    folded = run.invoke(main, ["search", "memorandum", "--index", str(tmp_path / "index")], catch_exceptions=False)
    assert folded.output.startswith("1 result, 1 near-identical version folded")
    assert "   + near-identical: b.txt" in folded.output
    every = run.invoke(main, ["search", "memorandum", "--index", str(tmp_path / "index"), "--all-versions", "--json"])
    data = json.loads(every.output)
    assert (data["total"], data["distinct"]) == (2, 2) and [hit["versions"] for hit in data["hits"]] == [[], []]


def test_a_folded_page_lists_a_few_versions_and_counts_them_all(tmp_path, monkeypatch):
    """Eight copies of each seed: one hit per story, each counting its seven versions and
    listing the first three, in the library, the browser and the CLI; the document's page
    lists all seven."""
    from click.testing import CliRunner

    from indexer.cli import main
    from webapp import create_app

    source = tmp_path / "source"
    for copy in range(8):
        shutil.copytree(SEEDS_DIR, source / f"copy{copy}")
    build_index(source, tmp_path / "index", jobs=1)
    scored = []
    original = PostingScorer.scores
    monkeypatch.setattr(PostingScorer, "scores", lambda self, *args: scored.append(1) or original(self, *args))

    page = search(tmp_path / "index", "internet", page_size=2)
    assert (page.total, len(page.hits)) == (16, 2)
    assert len({hit.group for hit in page.hits}) == 2  # one hit per story
    assert [(hit.version_count, len(hit.versions)) for hit in page.hits] == [(7, 3), (7, 3)]
    assert len(scored) == 1
    document = get_document(tmp_path / "index", page.hits[0].id).hit
    assert (document.version_count, len(document.versions)) == (7, 7)
    assert document.group == page.hits[0].group

    client = create_app({"SEARCH_INDEX_DIR": str(tmp_path / "index"), "TESTING": True}).test_client()
    html = client.get("/?q=internet").get_data(as_text=True)
    first = page.hits[0].id
    assert html.count("<summary>7 near-identical versions</summary>") == 2
    assert (
        f'<a class="versions-more" href="/doc/{first}?q=internet#versions">All 7 on the document&#39;s page</a>' in html
    )
    assert '<h2 id="versions">Near-identical versions <span class="muted">(7)</span></h2>' in client.get(
        f"/doc/{first}"
    ).get_data(as_text=True)
    printed = CliRunner().invoke(main, ["search", "internet", "--index", str(tmp_path / "index")]).output
    assert printed.count(" and 4 more\n") == 2


def test_a_longer_ranking_of_the_same_matches_scores_nothing_again(bbc_index, monkeypatch):
    """Folding versions away can ask for a longer ranking of a page's matches: neither the
    scores nor the proximity bonus of the best matches are computed again, and the longer
    ranking starts with the shorter one."""
    _, index_dir = bbc_index
    calls = defaultdict(int)
    for method in ("scores", "scores_at"):
        original = getattr(PostingScorer, method)

        def counted(self, *args, method=method, original=original):
            calls[method] += 1
            return original(self, *args)

        monkeypatch.setattr(PostingScorer, method, counted)

    with SearchIndex(index_dir).reading() as reader:
        found = reader.match(SearchRequest("government said"))
        short, longer = reader.rank(found, "relevance", 7), reader.rank(found, "relevance", 150)
    assert found.proximity is not None and found.total > 150
    assert longer[:7] == short and len(longer) == 150
    assert dict(calls) == {"scores": 1, "scores_at": 1}
