"""Near-identical versions: their groups in an open generation, and results with each group
folded into the first of its versions to rank."""

from __future__ import annotations

import math
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
    leader_ids: tuple[str, ...] = ()  # each group's leader's id

    def versions(self, doc: int) -> tuple[int, ...]:
        """The other documents of `doc`'s group, leader first (none when it has no versions)."""
        group = self.group_of.get(doc)
        return () if group is None else tuple(other for other in self.members[group] if other != doc)

    def leader_id(self, doc: int) -> str | None:
        group = self.group_of.get(doc)
        return None if group is None else self.leader_ids[group]

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
    group_of, members, leader_ids = {}, [], []
    for ids in groups:
        live_ids = [doc_id for doc_id in ids if doc_id in number]
        if len(live_ids) > 1:
            docs = tuple(number[doc_id] for doc_id in live_ids)
            group_of.update(dict.fromkeys(docs, len(members)))
            members.append(docs)
            leader_ids.append(live_ids[0])
    return VersionGroups(group_of, tuple(members), frozenset(group_of), tuple(leader_ids))


def fold(reader: IndexReader, found: MatchSet, sort: str, count: int, distinct: int) -> Ranked:
    """The first `count` results with the later versions of a group left out; `distinct` is the
    results' count once folded (`IndexReader.distinct`)."""
    folded_away = found.total - distinct
    if not folded_away:
        return reader.rank(found, sort, count)
    # Room for the versions left out: twice what the matches' average group size asks for, so
    # that one ranking is mostly enough; never more than all of them.
    limit = count + min(folded_away, count + math.ceil(2 * count * folded_away / distinct))
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
