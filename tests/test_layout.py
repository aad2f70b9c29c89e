"""The architecture as rules on imports: files -> documents -> index -> results -> pages, one way,
and the pages and the build reach the index only through the backend seam."""

import ast
import inspect
from pathlib import Path

import pytest
from helpers import ROOT, write_files

from indexer import build_index
from indexer.backend import GenerationWriter, IndexReader, SearchRequest
from indexer.schema import StoredDocument
from indexer.searching.matching import WhooshReader
from indexer.searching.searcher import SearchIndex
from indexer.store import NewGeneration

INDEXER = ROOT / "indexer"


def imported_modules(path: Path) -> set[str]:
    """The absolute names of the modules a file imports (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def imports_of(*parts: str) -> dict[str, set[str]]:
    folder = INDEXER.joinpath(*parts)
    files = sorted(folder.rglob("*.py")) if folder.is_dir() else [folder.with_suffix(".py")]
    return {str(path.relative_to(ROOT)): imported_modules(path) for path in files}


def offending(imports: dict[str, set[str]], *prefixes: str) -> dict[str, list[str]]:
    found = {
        path: sorted(name for name in names if any(name == p or name.startswith(p + ".") for p in prefixes))
        for path, names in imports.items()
    }
    return {path: names for path, names in found.items() if names}


def test_documents_never_import_whoosh_storage_or_searching():
    assert offending(imports_of("documents"), "whoosh", "indexer.storage", "indexer.searching") == {}


def test_storage_knows_no_documents_or_queries():
    assert offending(imports_of("storage"), "indexer.documents", "indexer.searching", "indexer.schema") == {}


def test_the_pages_and_the_build_reach_the_index_through_the_backend_seam():
    imports = {**imports_of("searching", "search"), **imports_of("build")}
    assert offending(imports, "whoosh", "indexer.storage") == {}


def test_the_library_never_imports_the_web_layer():
    assert offending(imports_of(), "flask", "webapp", "bleach") == {}


@pytest.mark.parametrize(
    ("protocol", "implementation"), [(IndexReader, WhooshReader), (GenerationWriter, NewGeneration)]
)
def test_whoosh_implements_every_operation_of_the_seam(protocol, implementation):
    def operations(cls):
        members = vars(cls).items()
        return {name: inspect.signature(f) for name, f in members if inspect.isfunction(f) and not name.startswith("_")}

    wanted, have = operations(protocol), operations(implementation)
    assert {name: list(signature.parameters) for name, signature in wanted.items()} == {
        name: list(have[name].parameters) for name in wanted if name in have
    }


def test_a_reader_answers_in_plain_values(tmp_path):
    source = write_files(
        tmp_path / "source",
        {
            "a.txt": "Oil talks open\n\nMarch 3, 2016\n\nLONDON, March 3 - Oil ministers met in London.\n",
            "b.txt": "Oil prices rise\n\nMarch 5, 2016\n\nPARIS, March 5 - Oil rose in Paris trading.\n",
            "c.txt": "Wheat harvest\n\nMarch 7, 2016\n\nPARIS, March 7 - The wheat harvest began.\n",
        },
    )
    build_index(source, tmp_path / "index", jobs=1)
    with SearchIndex(tmp_path / "index").reading() as reader:
        found = reader.match(SearchRequest("oil", filters={"place": ("Paris",)}))
        assert (found.query, found.total, found.complete) == ("oil", 1, True)
        assert reader.count(found, without="place") == 2
        assert reader.facet_counts(found, "place") == {"London": 1, "Paris": 1}
        newest = reader.rank(reader.match(SearchRequest("")), "newest", limit=None)
        documents = reader.documents([key for key, _ in newest])
        assert all(isinstance(doc, StoredDocument) for doc in documents)
        assert [(doc.id, doc.title, doc.date.isoformat()) for doc in documents] == [
            ("c.txt", "Wheat harvest", "2016-03-07"),
            ("b.txt", "Oil prices rise", "2016-03-05"),
            ("a.txt", "Oil talks open", "2016-03-03"),
        ]
        assert [doc.id for doc in reader.documents([reader.key_of("b.txt")])] == ["b.txt"]
        assert reader.key_of("missing.txt") is None
