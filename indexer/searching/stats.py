"""What an index holds: documents, fields, top facet values, size on disk."""

from __future__ import annotations

from pathlib import Path

from ..store import read_manifest
from .searcher import SearchIndex, as_search_index, is_server_index


def index_stats(index: SearchIndex | Path | str, top: int = 5) -> dict:
    """Counts and sizes of the live generation, with each facet's most frequent values."""
    if is_server_index(index):
        return index.stats(top)
    index = as_search_index(index)
    with index.generation() as live:
        generation = index.index_dir / live.name
        reader = live.searcher.reader()
        facets = {}
        for name, table in live.facet_tables.items():
            ranked = sorted(table.value_docs.items(), key=lambda item: (-len(item[1]), item[0]))
            facets[name] = {"values": len(ranked), "top": [{"value": v, "count": len(d)} for v, d in ranked[:top]]}
        manifest = read_manifest(generation)
        return {
            "index_dir": str(index.index_dir),
            "generation": live.name,
            "built": manifest.get("built"),
            "source_dir": manifest.get("source_dir"),
            "documents": reader.doc_count(),
            "version_groups": len(live.versions.members),  # groups of near-identical documents
            "versions": len(live.versions.grouped),  # the documents in them
            "files": len(manifest.get("files", {})),
            "skipped_files": sum(1 for entry in manifest.get("files", {}).values() if entry.get("skipped")),
            "fields": sorted(live.searcher.schema.names()),
            "facets": facets,
            "size_bytes": sum(path.stat().st_size for path in generation.iterdir() if path.is_file()),
        }
