"""python -m indexer: the seedsearch command line (index, update, search, stats, rollback)."""

from .cli import main

main(prog_name="python -m indexer")
