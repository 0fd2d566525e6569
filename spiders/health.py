"""Per-portal crawl health: counters kept during the crawl and the status derived at the end."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

STATUSES = ("ok", "zero_reports", "blocked", "robots_disallowed", "broken")
BROKEN_ERROR_RATE = 0.5


@dataclass
class PortalHealth:
    portal_id: str
    list_pages: int = 0
    api_pages: int = 0
    reports_found: int = 0          # distinct report links (pages or attachment-only files)
    lookalikes: int = 0             # titles rejected as look-alikes
    offsite_links: int = 0          # report-titled links to domains outside allowed_domains
    documents: int = 0              # items written to the manifest
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    requests: int = 0               # responses + failures seen for this portal
    errors: int = 0                 # HTTP >= 400 (not challenges), timeouts, connection failures
    blocked_pages: int = 0          # JS challenge pages (412/521 ...)
    robots_forbidden: int = 0
    too_large: int = 0
    start_failed: bool = False
    start_blocked: bool = False
    start_robots: bool = False
    problems: list[str] = field(default_factory=list)   # first few URLs with reasons

    def note(self, url: str, reason: str) -> None:
        if len(self.problems) < 20:
            self.problems.append(f"{reason}: {url}")

    @property
    def status(self) -> str:
        if self.start_robots:
            return "robots_disallowed"
        if self.start_blocked or (self.blocked_pages and not self.documents):
            return "blocked"
        rate = self.errors / self.requests if self.requests else 0.0
        if self.start_failed or rate > BROKEN_ERROR_RATE:
            return "broken"
        if not self.reports_found:
            return "zero_reports"
        return "ok"

    def to_dict(self) -> dict:
        out = asdict(self)
        out["status"] = self.status
        out["error_rate"] = round(self.errors / self.requests, 3) if self.requests else 0.0
        return out
