"""Query text -> SearchPage: parsing, matching, ranking, facets, highlights, suggestions, timelines."""
