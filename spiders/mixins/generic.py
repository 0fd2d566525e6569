"""Generic fallback: report-titled links anywhere on the list page, pager links (下一页, numbers,
index_N) under the column prefix, and TRS-style paging scripts when present."""

from __future__ import annotations

from spiders import pages
from spiders.mixins.hanweb import records as hanweb_records


class GenericMixin:
    def parse_generic_list(self, response):
        page = self.list_page(response)
        if page is None:
            return
        portal, html, found = page
        if hanweb_records(response.url, html):  # a Hanweb column registered as another platform
            yield from self.hanweb_from_page(response, portal, html, found)
            return
        yield from self.generic_from_page(response, portal, html, found)

    def generic_from_page(self, response, portal, html, found):
        """Report links, pager links and paging scripts of any list page (every platform's fallback)."""
        for link in found:
            yield from self.consider(portal, link.url, link.title, response.url, off_list=not link.main)
        yield from self.follow_pages(response, portal, pages.pagination_links(response.url, found,
                                                                                 portal.column_prefixes()))
        yield from self.follow_pages(response, portal, pages.list_frames(response.url, html,
                                                                         portal.column_prefixes()))
        if response.meta.get("first"):
            yield from self.follow_pages(response, portal, pages.script_pages(
                response.url, html, portal.page_numbering, found))
            if not response.meta.get("subcolumn"):
                yield from self.follow_subcolumns(response, portal, found)
