"""Per-platform list handling (City Scrapers style mixins) for the annual_reports spider.

Each mixin turns the list pages of one CMS family into report links via the base spider's
`consider()`; report pages and attachments are handled once, in the base spider.
"""

from spiders.mixins.generic import GenericMixin
from spiders.mixins.gkmlpt import GkmlptMixin
from spiders.mixins.hanweb import HanwebMixin
from spiders.mixins.trs import TrsMixin

__all__ = ["GenericMixin", "GkmlptMixin", "HanwebMixin", "TrsMixin"]
