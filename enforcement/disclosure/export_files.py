"""Public list exports as files: built once per change-log generation, named in Chinese after the filter.

``export_response`` answers ``/<list>/export.csv|xlsx``: a file already built for the same filter,
day and change-log generation (``core.export_cache``) is sent as it is; otherwise the rows are
streamed (CSV: to the client and into the cache at once; XLSX: into the cache, then sent), so a second
download of an unchanged list costs a file read. Decisions are read from their stored export rows
(``public_rows``: brought up to date from the change log first, then streamed under the list's live SQL
conditions), so no masking runs at export time; the other lists are small and use ``queries.iter_rows``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import IO, Any

from enforcement.core import export_cache
from enforcement.core.exporting import (
    XLSX_MIMETYPE,
    attachment,
    csv_chunks,
    csv_lists,
    write_xlsx,
    write_xlsx_lists,
)
from enforcement.disclosure import queries
from enforcement.disclosure.categories import Category
from enforcement.disclosure.models import Agency
from enforcement.extensions import db

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def download_name(cat: Category, filters: dict[str, Any], fmt: str) -> str:
    """执法决定_2024_大兴区城市管理综合行政执法局.csv: the list's name, then each filter as a reader
    would say it (labels, the agency's name, dates), no internal codes; characters a file system
    refuses are replaced. Sent with RFC 6266/5987 ``filename*=UTF-8''…``."""
    parts = [cat.label]
    for f in cat.filters:
        value = filters.get(f.name)
        if value in (None, ""):
            continue
        if f.type == "choice":
            parts.append(f.choices.get(value, str(value)))
        elif f.type == "agency":
            agency = db.session.get(Agency, value)
            parts.append(agency.name if agency else f"{f.label}{value}")
        elif f.type == "year":
            parts.append(f"{value}年")
        elif f.type == "date":
            parts.append(f"{'自' if f.name.endswith('from') else '至'}{value.isoformat()}")
        else:
            parts.append(f"{f.label}“{value}”")
    name = _UNSAFE.sub("_", "_".join(parts))[:120]
    return f"{name}.{fmt}"


def rows_for(cat: Category, filters: dict[str, Any], on: date) -> Iterator[dict[str, Any]]:
    """The rows an export of ``cat`` holds, projected (masked) now and in list order (JSON lines; the
    CSV and XLSX files of decisions read the stored rows instead, ``csv_text`` and ``write_file``)."""
    if cat.slug == "decisions":
        from enforcement.disclosure.export_stream import decision_rows

        return decision_rows(filters, on)
    return queries.iter_rows(cat, filters, on)


def current_rows(on: date | None = None) -> int:
    """Bring the stored decision rows up to date and commit that, so that the stream that follows holds
    no write lock; returns the decisions projected (0 when nothing changed: no write at all)."""
    from enforcement.disclosure import public_rows

    if not public_rows.pending(on):
        return 0
    count = public_rows.refresh(on)
    db.session.commit()
    return count


def csv_text(cat: Category, filters: dict[str, Any], on: date, bom: bool = True,
             counted: list[int] | None = None) -> Iterator[str]:
    """The CSV export as text chunks (header first); ``counted[0]`` grows by one per row written."""
    tally = counted if counted is not None else [0]
    if cat.slug == "decisions":
        from enforcement.disclosure.public_rows import csv_cells, stored_rows

        current_rows(on)

        def cells() -> Iterator[list[Any]]:
            for c in stored_rows(filters, on):
                tally[0] += 1
                yield csv_cells(c)

        return csv_lists(cells(), cat.export_columns, bom)

    def rows() -> Iterator[dict[str, Any]]:
        for row in queries.iter_rows(cat, filters, on):
            tally[0] += 1
            yield row

    return csv_chunks(rows(), cat.export_columns, bom)


def write_file(cat: Category, filters: dict[str, Any], fmt: str, fh: IO[bytes], on: date) -> int:
    """Write the export to a binary file; returns the number of rows."""
    if fmt == "xlsx":
        if cat.slug == "decisions":
            from enforcement.disclosure.public_rows import stored_rows, xlsx_cells

            current_rows(on)
            return write_xlsx_lists((xlsx_cells(c) for c in stored_rows(filters, on)), cat.export_columns, fh,
                                    title=cat.label)
        return write_xlsx(queries.iter_rows(cat, filters, on), cat.export_columns, fh, title=cat.label)
    counted = [0]
    for chunk in csv_text(cat, filters, on, counted=counted):
        fh.write(chunk.encode("utf-8"))
    return counted[0]


def cached_file(cat: Category, filters: dict[str, Any], fmt: str, on: date):
    """The cached file for this export (building it if needed): (path, whether it was already there)."""
    key = export_cache.cache_key(cat.slug, fmt, filters, on)
    hit = export_cache.lookup(key)
    if hit is not None:
        return hit, True
    with export_cache.storing(key) as fh:
        write_file(cat, filters, fmt, fh, on)
    return export_cache.cache_dir() / key, False


def export_response(cat: Category, filters: dict[str, Any], fmt: str, limited):
    """The download: from the cache when built already, else built (``limited`` bounds concurrent builds)."""
    from flask import send_file

    on = queries.today()
    filename = download_name(cat, filters, fmt)
    key = export_cache.cache_key(cat.slug, fmt, filters, on)
    mimetype = "text/csv" if fmt == "csv" else XLSX_MIMETYPE

    def send(path):
        response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=filename,
                             conditional=False, etag=False, max_age=0)
        if fmt == "csv":
            response.headers["Content-Type"] = "text/csv; charset=utf-8"
        return response

    hit = export_cache.lookup(key)
    if hit is not None:
        try:
            return send(hit)
        except FileNotFoundError:  # evicted by another process since the lookup: build it again
            pass

    def build():
        if fmt == "xlsx":
            with export_cache.storing(key) as fh:
                write_file(cat, filters, fmt, fh, on)
            return send(export_cache.cache_dir() / key)
        return _streamed_csv(cat, filters, on, key, filename)

    return limited(build)


def _streamed_csv(cat: Category, filters: dict[str, Any], on: date, key: str, filename: str):
    """CSV streamed to the client as rows are masked, written into the cache on the way; a download
    the client abandons leaves no file behind."""
    from flask import Response, stream_with_context

    def body() -> Iterator[bytes]:
        with export_cache.storing(key) as fh:
            for chunk in csv_text(cat, filters, on):
                data = chunk.encode("utf-8")
                fh.write(data)
                yield data

    response = Response(stream_with_context(body()), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = attachment(filename)
    return response
