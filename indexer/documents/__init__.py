"""Files -> Documents: walk a folder, read each format, decode, and extract title, dates, names and language.

Nothing here knows how documents are indexed or searched: this wing never imports whoosh.
"""
