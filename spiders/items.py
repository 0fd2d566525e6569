"""The one item model of a crawl: a fetched document (report page or attachment) and its provenance.

`DOCUMENT_SCHEMA` (JSON Schema, draft 2020-12) is the contract of `manifest.jsonl`; the
validation pipeline checks every item against it before it reaches the manifest.
"""

from __future__ import annotations

import scrapy

ROLES = ("detail", "page_part", "attachment")   # report page, continuation page, attached file
CHANGES = ("new", "changed", "unchanged")

DOCUMENT_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "ogi-reports crawled document",
    "type": "object",
    "required": ["portal_id", "agency", "url", "final_url", "landing_page", "role", "report_url", "title",
                 "content_type", "size", "sha256", "path", "fetched_at", "http_status", "change"],
    "additionalProperties": False,
    "properties": {
        "portal_id": {"type": "string", "minLength": 1, "description": "registry id of the portal"},
        "agency": {"type": "string", "description": "agency name from the registry"},
        "region_code": {"type": ["string", "null"], "pattern": "^[0-9]{6}$"},
        "url": {"type": "string", "pattern": "^https?://", "description": "URL requested"},
        "final_url": {"type": "string", "pattern": "^https?://", "description": "URL after redirects"},
        "landing_page": {"type": "string", "pattern": "^https?://",
                         "description": "page the document was linked from (list page or report page)"},
        "role": {"enum": list(ROLES)},
        "report_url": {"type": "string", "pattern": "^https?://",
                       "description": "report page this document belongs to (itself for a report page)"},
        "title": {"type": "string", "description": "report title (detail page title, else as listed)"},
        "list_title": {"type": ["string", "null"], "description": "title as printed in the list"},
        "link_text": {"type": ["string", "null"], "description": "attachment link text"},
        "report_year": {"type": ["integer", "null"], "minimum": 2000, "maximum": 2100},
        "publish_date": {"type": ["string", "null"], "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
        "content_type": {"type": "string"},
        "size": {"type": "integer", "minimum": 0},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "path": {"type": "string", "description": "archive path relative to the archive dir"},
        "fetched_at": {"type": "string", "format": "date-time"},
        "http_status": {"type": "integer", "enum": [200, 203, 304]},
        "etag": {"type": ["string", "null"]},
        "last_modified": {"type": ["string", "null"]},
        "encoding": {"type": ["string", "null"], "description": "encoding used to read the page (HTML only)"},
        "change": {"enum": list(CHANGES)},
    },
}


class DocumentItem(scrapy.Item):
    """Fields = DOCUMENT_SCHEMA properties. `body` (the bytes, for the archive pipeline) and `children`
    (attachments/parts of a report page, for the crawl state) never reach the manifest."""

    body = scrapy.Field()
    children = scrapy.Field()
    locals().update({name: scrapy.Field() for name in DOCUMENT_SCHEMA["properties"]})
