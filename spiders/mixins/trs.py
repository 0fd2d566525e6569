"""TRS WCM static lists: index.html, index_1.html ... with the page count in createPageHTML(...),
`countPage`, or the 动静结合 pager (recordCount/prepage/maxStaticIndex). Both numbering
conventions (index_1 = page 2, or index_2 = page 2) are read from the first page's script."""

from __future__ import annotations

from spiders import pages
from spiders.mixins.hanweb import records as hanweb_records


class TrsMixin:
    def parse_trs_list(self, response):
        page = self.list_page(response)
        if page is None:
            return
        portal, html, found = page
        if hanweb_records(response.url, html):  # a Hanweb column registered as another platform
            yield from self.hanweb_from_page(response, portal, html, found)
            return
        for link in found:
            yield from self.consider(portal, link.url, link.title, response.url, off_list=not link.main)
        follow = pages.pagination_links(response.url, found, portal.column_prefixes())
        follow += pages.list_frames(response.url, html, portal.column_prefixes())
        if response.meta.get("first"):
            scripted = pages.script_pages(response.url, html, portal.page_numbering, found)
            if scripted:  # the script is authoritative; pager anchors may be built by it anyway
                follow = [u for u in follow if u in scripted or not pages._PAGED_FILE.match(u.rsplit("/", 1)[-1])]
                follow = scripted + [u for u in follow if u not in scripted]
        yield from self.follow_pages(response, portal, follow)
        if response.meta.get("first") and not response.meta.get("subcolumn"):
            yield from self.follow_subcolumns(response, portal, found)
