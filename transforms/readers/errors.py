"""Recognise HTTP error pages and anti-bot challenge pages saved as documents.

Only short pages are judged (a real report is thousands of characters): a page whose visible
text is short and that carries a challenge marker, an error phrase, or nothing but scripts.
"""

from __future__ import annotations

import re

# cookies / scripts of the anti-bot services Chinese government portals use
CHALLENGE_MARKERS = (
    "__jsl_clearance", "jsl_clearance_s", "acw_sc__v2", "acw_tc", "wzws_cid", "wzwsconfirm",
    "_wzws", "__waf", "yunsuo_session", "safedog", "安全狗", "网站防火墙", "创宇盾", "knownsec",
    "$_ts", "FSSBBIl1UgzbN7N80", "云防护", "X-Via-JSL", "__jsluid", "ENABLE_JS", "challenge-platform", "cf-chl", "请开启javascript", "请启用javascript",
    "enable javascript", "浏览器安全检查", "正在进行安全检查",
)
ERROR_PHRASES = re.compile(
    r"(访问被拒绝|拒绝访问|access denied|forbidden|not found|页面不存在|页面未找到|您访问的页面|"
    r"找不到(该|此)?页面|无法找到|bad gateway|service unavailable|gateway time-?out|internal server error|"
    r"服务器错误|请求被阻断|非法请求|访问受限|访问频率|too many requests|系统繁忙|"
    r"(?:http|error|错误|状态码)\s*(?:代码|code)?\s*[:：]?\s*[45]\d\d\b)",
    re.IGNORECASE,
)
_STATUS_TITLE = re.compile(r"^\s*([45]\d\d)\b")
SHORT_TEXT = 400        # visible characters below which a page is judged as a possible error page
_NON_SPACE = re.compile(r"\S")


def error_page_reason(raw_markup: str, visible_text: str, title: str = "") -> str | None:
    """Why this page is an error/challenge page, or None when it looks like content."""
    visible = len(_NON_SPACE.findall(visible_text))
    if visible >= SHORT_TEXT:
        return None
    low = raw_markup[:200_000].lower()
    for marker in CHALLENGE_MARKERS:
        if marker.lower() in low and (visible < 200 or marker.startswith("__jsl")):
            return f"anti-bot challenge page ({marker})"
    m = ERROR_PHRASES.search(f"{title}\n{visible_text}")
    if m:
        return f"error page ({m.group(0).strip()})"
    m = _STATUS_TITLE.match(title or "")
    if m:  # a bare status code is only trusted as the page title ("404", "403 - 禁止访问")
        return f"error page (status {m.group(1)})"
    scripts = low.count("<script")
    if visible < 50 and scripts:
        return "page holds only scripts (JS challenge or client-rendered page; no content captured)"
    return None
