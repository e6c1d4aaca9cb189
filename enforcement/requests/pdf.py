"""PDF output for reply letters and the annual report: the shared font and paragraph helpers.

The font (embedded, shipped with a package: nothing downloaded at run time) and the escaping of every
paragraph are ``enforcement.core.pdf``'s; this module keeps the names the requests code imports.
"""

from __future__ import annotations

from enforcement.core.pdf import font_name, numbered_canvas, para

__all__ = ["font_name", "numbered_canvas", "para"]
