"""The on-disk format: whoosh's extension points (codec, postings formats, term index, blocks of
postings, stored fields, columns, segment writer) tuned for this corpus; knows no documents or queries."""
