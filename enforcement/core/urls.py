"""Links and redirect targets that are safe to emit: http(s) or this site only.

``safe_link`` is for URLs people type into the system (course materials) and
that other people then follow; ``safe_next`` is for ``next``-style redirect
parameters, which may only lead to a path on this site. Both follow the OWASP
Unvalidated Redirects and Forwards cheat sheet: browsers treat ``//host``,
``/\\host``, ``/%09/host`` and a tab or newline inside a URL as another host,
so any such form is refused rather than cleaned. (ASVS 4.0 V5.1.5, V5.2.6.)
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

SAFE_SCHEMES = frozenset({"http", "https"})


def _has_control(text: str) -> bool:
    return any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text)


def is_site_path(target: str) -> bool:
    """True for a path on this site ("/decisions?page=2"), never for anything a browser reads as a host.

    The target is also checked once percent-decoded, since a server or browser along the way may
    decode it (``/%2F%2Fevil``, ``/%09/evil``, ``/%5Cevil``)."""
    if not isinstance(target, str) or not target.startswith("/"):
        return False
    for form in (target, unquote(target)):
        if _has_control(form) or "\\" in form or form[1:].lstrip(" \t\n\r").startswith("/"):
            return False
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return False
    return True


def safe_next(target: str | None, default: str | None = None) -> str | None:
    """``target`` if it is a path on this site (``is_site_path``), else ``default``. Never raises."""
    target = (target or "").strip(" ")
    return target if is_site_path(target) else default


def safe_link(value: str | None) -> bool:
    """True for an absolute http(s) URL with a host, or a path on this site; False for anything else
    (``javascript:``, ``data:``, ``vbscript:``, protocol-relative ``//host``, control characters)."""
    value = (value or "").strip()
    if not value:
        return False
    if value.startswith("/"):
        return is_site_path(value)
    if _has_control(value) or "\\" in value:
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.hostname)


def safe_href(value: str | None) -> str:
    """For templates: the link if ``safe_link``, else "" (the caller then shows the text without a link)."""
    return (value or "").strip() if safe_link(value) else ""
