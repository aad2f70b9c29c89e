"""Near-identical versions: their groups in an open generation, and results with each group
folded into the first of its versions to rank."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..backend import DocKey, IndexReader, MatchSet
from ..nearduplicates import read_groups
from ..storage.codec import column_values

Ranked = list[tuple[DocKey, float | None]]  # in result order, with scores


@dataclass(frozen=True)
class VersionGroups:
    """The near-identical documents of an open whoosh generation, by document number."""

    group_of: dict[int, int] = field(default_factory=dict)  # document -> its group
    members: tuple[tuple[int, ...], ...] = ()  # each group's documents, its leader (the earliest) first
    grouped: frozenset[int] = frozenset()

    def versions(self, doc: int) -> tuple[int, ...]:
        """The other documents of `doc`'s group, leader first (none when it has no versions)."""
        group = self.group_of.get(doc)
        return () if group is None else tuple(other for other in self.members[group] if other != doc)

    def leader(self, doc: int) -> int | None:
        group = self.group_of.get(doc)
        return None if group is None else self.members[group][0]

    def distinct(self, docs: set[int]) -> int:
        """How many results `docs` make once each group's versions are folded into one."""
        grouped = self.grouped & docs
        return len(docs) - len(grouped) + len({self.group_of[doc] for doc in grouped})

    def one_of_each(self, docs: Iterable[int], besides: int | None = None) -> list[int]:
        """`docs` in order, without later versions of a group already listed or of `besides`'s group."""
        seen = {self.group_of.get(besides)} - {None}
        kept = []
        for doc in docs:
            group = self.group_of.get(doc)
            if doc != besides and (group is None or group not in seen):
                seen.add(group)
                kept.append(doc)
        return kept


def load_version_groups(generation: Path, searcher, live_docs: frozenset[int]) -> VersionGroups:
    """The groups written with the generation, as live document numbers (deleted ones left out)."""
    groups = read_groups(generation)
    if not groups:
        return VersionGroups()
    wanted = {doc_id for ids in groups for doc_id in ids}
    # One pass over the id column: a term search per id took seconds for 100k documents.
    number = {}
    for doc, encoded in enumerate(column_values(searcher.reader(), "id", b"")):
        doc_id = encoded.decode()
        if doc_id in wanted and doc in live_docs:
            number[doc_id] = doc
    group_of, members = {}, []
    for ids in groups:
        docs = tuple(number[doc_id] for doc_id in ids if doc_id in number)
        if len(docs) > 1:
            group_of.update(dict.fromkeys(docs, len(members)))
            members.append(docs)
    return VersionGroups(group_of, tuple(members), frozenset(group_of))


def fold(reader: IndexReader, found: MatchSet, sort: str, count: int, distinct: int) -> Ranked:
    """The first `count` results with the later versions of a group left out; `distinct` is the
    results' count once folded (`IndexReader.distinct`)."""
    folded_away = found.total - distinct
    if not folded_away:
        return reader.rank(found, sort, count)
    limit = count + min(folded_away, 3 * count)  # room for the versions left out: one ranking is mostly enough
    while True:
        order = reader.rank(found, sort, limit)
        seen, kept = set(), []
        for key, score in order:
            group = reader.group(key)
            if group is None or group not in seen:
                seen.add(group)
                kept.append((key, score))
                if len(kept) == count:
                    return kept
        if len(order) < limit:
            return kept
        limit *= 4
