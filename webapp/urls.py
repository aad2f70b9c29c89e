"""Absolute URLs (feed, OpenSearch) only from a base URL the site was given or a host the app vouches
for; redirects relative. A request's Host header is whatever the client sent."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, redirect, request, url_for

PROXY_FIX_KEY = "werkzeug.proxy_fix.orig"  # set by werkzeug's ProxyFix: the host app trusts its proxy


def checked_base_url(base_url: str | None) -> str | None:
    """The site's origin (`https://news.example.org`) without a trailing slash; ValueError otherwise."""
    if not base_url:
        return None
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path.strip("/") or parts.query:
        raise ValueError(f"the base URL must be a scheme and host like https://news.example.org, not {base_url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def external_url(base_url: str | None, endpoint: str, **values) -> str:
    """The endpoint's URL: on `base_url` when given; absolute from the request when a proxy the app
    trusts (ProxyFix) or its TRUSTED_HOSTS setting vouches for the host; else relative."""
    if base_url:
        return base_url + url_for(endpoint, **values)
    if PROXY_FIX_KEY in request.environ or current_app.config.get("TRUSTED_HOSTS"):
        return url_for(endpoint, _external=True, **values)
    return url_for(endpoint, **values)


def relative_redirects(response):
    """after_request hook: a redirect to this host (werkzeug's slash and `//` redirects) as a path,
    so an untrusted Host header is never sent back as a Location."""
    location = response.headers.get("Location")
    if location and 300 <= response.status_code < 400:
        parts = urlsplit(location)
        if parts.netloc and parts.netloc == request.host:
            # A new response: werkzeug's redirect page repeats the URL in its body too.
            return redirect(parts._replace(scheme="", netloc="").geturl() or "/", response.status_code)
    return response
