"""Arithmetic identities of indicators.yaml checked on one report's observations.

Each identity is defined once, by its `expr` in `transforms/data/indicators.yaml`; this
module parses those expressions (sums, `sum(glob)`, `max(glob)`, comparison chains,
`for x in ...:` quantifiers, clauses separated by `;`) into checks. The few identities
whose `expr` is prose get a machine-readable rewrite in `EXPR_REWRITES` (with the YAML
note that justifies it); identities that need other reports are run by
`check_across_reports` (a dataframe of many reports, keyed by agency and year).

Rules
- A break never changes a value: every observation involved gets the identity id in
  `obs.flags`, and the document gets one flag string
  ``"<identity>@<scope>: <severity>: <detail>"`` (scope = the quantified column / row /
  group, e.g. ``natural_person``, ``review``, ``res_granted``; for identities without a
  quantifier the code of the total). Severity comes from the YAML (error | warning | info).
- Which value a code has: the first table observation (source != narrative) with a value,
  else the first narrative one; per-tier (`dimension`) and cumulative columns are left out
  except by `local_cumulative_ge_annual`.
- Blank cells count as 0 only when the table was located (by table observations; prose
  locates nothing): a cell printed blank, -, /, 无
  is 0; an absent sec3/sec4 cell is 0 when its row AND its column were located (some cell
  of it was read, or it lies between two read rows/columns in the template order); an absent scalar code is 0 when some code of its table (old, sec2) was read.
  A side made of one code (the printed total) must be present. Cells read as ambiguous or
  unparsable make the instance uncheckable, and so does a side with no printed term (an
  excerpt cut before those rows), so a cut-off table does not raise false breaks.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from transforms.dictionary import Dictionary, load_default
from transforms.model import FORMATS, Observation
from transforms.narrative import ZERO_NULL_REASONS

NEW_FORMATS = ("v2019", "v2021")
OLD_FORMATS = ("v2008_local", "v2014_national")
TOLERANCE = 1e-6
APPROX_TOLERANCE = 0.01      # relative, for `≈` (values compared unit-normalised)

# Identities whose YAML `expr` is prose or needs a term its note names. Each rewrite says why.
EXPR_REWRITES: dict[str, tuple[str, str]] = {
    "local_denied_reasons": (
        "ans_denied_total == ans_denied_not_gov_info + ans_not_exist + ans_not_this_agency + "
        "ans_told_to_amend + ans_denied_state_secret + ans_denied_commercial_secret + ans_denied_privacy + "
        "ans_denied_internal + ans_denied_in_process + ans_denied_enforcement + ans_denied_other_law + "
        "ans_denied_other_reason + ans_denied_exempt_total",
        "expr names rows 21–31 in prose; the codes of those rows (免予公开范围1–6 or 不予公开范围1–7, "
        "or the one-row ans_denied_exempt_total of the 贵阳 template)",
    ),
    "local_req_channels": (
        "req_received == req_ch_in_person + req_ch_fax + req_ch_email + req_ch_online + req_ch_letter + "
        "req_ch_other + req_ch_letter_fax",
        "note of req_ch_letter_fax: count the combined letter/fax row with the other channels",
    ),
    "local_answers_sum": (
        "ans_total == ans_granted + ans_partial + ans_denied_total + ans_other_type_local",
        "note of ans_other_type_local: the Fujian table's fourth reply row belongs to ans_total",
    ),
}

# Identities that compare reports of other years or other agencies (see validate_across).
CROSS_REPORT_IDENTITIES = ("s3_carry_chain", "s2_stock_flow_v2021", "s2_item_chain_v2019",
                           "region_aggregate_ge_parts")
# Identities checked by code of their own here (their expr is a rule, not arithmetic).
RULE_IDENTITIES = ("s3_nonneg_int", "local_cumulative_ge_annual")


@dataclass(frozen=True)
class IdentityBreak:
    """One identity that does not hold in one report."""

    identity: str
    scope: str
    severity: str
    detail: str
    codes: tuple[str, ...] = ()
    observations: tuple[Observation, ...] = field(default=(), compare=False, repr=False)

    @property
    def flag(self) -> str:
        return f"{self.identity}@{self.scope}: {self.severity}: {self.detail}"


# ---------------------------------------------------------------------------------------
# Parsing the YAML expressions
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    sign: int
    func: str | None        # None | sum | max
    name: str               # code, or glob inside sum()/max()


@dataclass(frozen=True)
class Clause:
    sides: tuple[tuple[Term, ...], ...]
    ops: tuple[str, ...]     # == >= <= ≈ between consecutive sides


@dataclass(frozen=True)
class ParsedIdentity:
    id: str
    formats: tuple[str, ...]
    severity: str
    loop_var: str | None
    loop_domain: str | None
    all_at: str | None       # "(all @c)": bare row names are cells of the lhs table at @c
    clauses: tuple[Clause, ...]


_LOOP = re.compile(r"^for\s+(\w+)\s+in\s+(.+?):\s*(.*)$")
_NOTE = re.compile(r"\s*\((?:all\s+@(\w+)|same for [^)]*|unit-normalised|present in the format)\)")
_OPS = re.compile(r"(==|>=|<=|≈)")
_TERM = re.compile(r"^(sum|max)\((.+)\)$")
_NAME = re.compile(r"^[A-Za-z_*][\w.*@]*$")


def _parse_side(text: str) -> tuple[Term, ...]:
    terms: list[Term] = []
    for sign_text, body in re.findall(r"([+-]?)\s*((?:sum|max)\([^)]*\)|[^\s+-]+)", text.strip()):
        sign = -1 if sign_text == "-" else 1
        m = _TERM.match(body)
        func, name = (m.group(1), m.group(2).strip()) if m else (None, body)
        if not _NAME.match(name):
            raise ValueError(f"cannot parse term {body!r}")
        terms.append(Term(sign, func, name))
    if not terms:
        raise ValueError(f"empty side in {text!r}")
    return tuple(terms)


def parse_identity(entry: dict[str, Any]) -> ParsedIdentity:
    """Parse one identity entry of indicators.yaml; ValueError when the expr is not arithmetic."""
    expr = EXPR_REWRITES.get(entry["id"], (entry["expr"], ""))[0]
    loop_var = loop_domain = None
    m = _LOOP.match(expr.strip())
    if m:
        loop_var, loop_domain, expr = m.group(1), m.group(2).strip(), m.group(3)
    all_at = None
    for note in _NOTE.finditer(expr):
        all_at = note.group(1) or all_at
    expr = _NOTE.sub("", expr)
    clauses = []
    for clause_text in expr.split(";"):
        parts = _OPS.split(clause_text)
        if len(parts) < 3:
            raise ValueError(f"no comparison in {clause_text!r}")
        sides = tuple(_parse_side(p) for p in parts[0::2])
        clauses.append(Clause(sides, tuple(parts[1::2])))
    return ParsedIdentity(
        id=entry["id"], formats=tuple(entry.get("formats", ())), severity=entry.get("severity", "error"),
        loop_var=loop_var, loop_domain=loop_domain, all_at=all_at, clauses=tuple(clauses),
    )


@lru_cache(maxsize=1)
def _parsed_default() -> tuple[tuple[ParsedIdentity, ...], dict[str, str]]:
    """(parsed arithmetic identities, {id: why not parsed}) of the packaged dictionary."""
    parsed, skipped = [], {}
    for entry in load_default().identities:
        if entry["id"] in CROSS_REPORT_IDENTITIES:
            skipped[entry["id"]] = "cross-report: needs other years or reports"
        elif entry["id"] in RULE_IDENTITIES:
            skipped[entry["id"]] = "rule checked by code"
        else:
            parsed.append(parse_identity(entry))
    return tuple(parsed), skipped


def identity_coverage() -> dict[str, str]:
    """How each identity id of indicators.yaml is checked: parsed | rule | cross_report."""
    parsed, _ = _parsed_default()
    out = {p.id: "parsed" for p in parsed}
    out.update({i: "rule" for i in RULE_IDENTITIES})
    out.update({i: "cross_report" for i in CROSS_REPORT_IDENTITIES})
    return out


def applies(formats: Iterable[str], format_version: str | None) -> bool:
    """Does an identity for `formats` apply to a report of `format_version`?

    Unknown / narrative_only / "old" reports get only the identities shared by both
    generations of their era (both new formats, or both old ones).
    """
    fmts = set(formats)
    if format_version in FORMATS and format_version != "narrative_only":
        return format_version in fmts
    return set(NEW_FORMATS) <= fmts or set(OLD_FORMATS) <= fmts


# ---------------------------------------------------------------------------------------
# Values of one report
# ---------------------------------------------------------------------------------------

class ReportValues:
    """The value of each code in one report, with the 'table located' rule for blanks."""

    def __init__(self, observations: list[Observation], dictionary: Dictionary):
        self.dictionary = dictionary
        self.cells: dict[str, Observation] = {}
        ordered = sorted(observations, key=lambda o: o.source == "narrative")
        self.located_rows: set[tuple[str, str]] = set()
        self.located_cols: set[tuple[str, str]] = set()
        self.located_tables: set[str] = set()
        for obs in ordered:
            code = obs.indicator_code
            if not code or obs.dimension is not None or obs.value_column_kind not in (None, "annual"):
                continue
            ind = dictionary.indicators.get(code)
            if ind is None:
                continue
            current = self.cells.get(code)
            if current is None or (current.value is None and obs.value is not None
                                   and current.source == obs.source):
                self.cells[code] = obs
            if obs.source == "narrative":
                continue            # prose locates no table: its silence about a cell is not a 0
            if ind.row is not None:
                self.located_rows.add((ind.table, ind.row))
                self.located_cols.add((ind.table, ind.col or ""))
            self.located_tables.add(ind.table)
        self.row_order, self.col_order = _template_order(dictionary)

    def _within(self, located: set[tuple[str, str]], order: dict[str, list[str]], table: str, key: str) -> bool:
        """Was `key` read, or does it lie between two read rows/columns of the template?"""
        if (table, key) in located:
            return True
        keys = order.get(table, [])
        if key not in keys:
            return False
        idx = [keys.index(k) for t, k in located if t == table and k in keys]
        return bool(idx) and min(idx) < keys.index(key) < max(idx)

    def printed(self, code: str) -> float | None:
        """Value of a code that was read (blank marks count 0), else None."""
        obs = self.cells.get(code)
        if obs is None:
            return None
        if obs.value is not None:
            return obs.value
        return 0.0 if obs.null_reason in ZERO_NULL_REASONS else None

    def normalised(self, code: str) -> float | None:
        obs = self.cells.get(code)
        if obs is not None and obs.value is not None and obs.value_normalised is not None:
            return obs.value_normalised
        return self.printed(code)

    def implicit_zero(self, code: str) -> bool:
        """An absent code counts 0 when its table (sec3/sec4: its row and column) was located."""
        ind = self.dictionary.indicators.get(code)
        if ind is None or code in self.cells:
            return False
        if ind.row is not None:
            return (self._within(self.located_rows, self.row_order, ind.table, ind.row)
                    and self._within(self.located_cols, self.col_order, ind.table, ind.col or ""))
        return ind.table in self.located_tables


def _template_order(dictionary: Dictionary) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Row and column order of tables 三 and 四 as printed in the templates."""
    rows = {"sec3": [r["code"] for r in dictionary.sec3_rows],
            "sec4": [m["code"] for m in dictionary.members("review_litigation_group")]}
    cols = {"sec3": [m["code"] for m in dictionary.members("applicant_type")],
            "sec4": [m["code"] for m in dictionary.members("review_litigation_result")]}
    return rows, cols


@dataclass
class _Side:
    value: float | None
    codes: list[str] = field(default_factory=list)     # codes with a printed value
    text: str = ""
    observations: list[Observation] = field(default_factory=list)


def _expand(name: str, subst: dict[str, str], all_at: str | None, prefix: str, codes: list[str],
            fmt: str | None) -> list[str]:
    parts = re.split(r"([.@])", name)
    name = "".join(subst.get(p, p) for p in parts)
    if all_at and "." not in name and "@" not in name:
        name = f"{prefix}{name}@{subst[all_at]}"
    if "*" not in name:
        return [name]
    dictionary = load_default().indicators
    return [c for c in codes if fnmatch.fnmatchcase(c, name)
            and (fmt not in FORMATS or fmt == "narrative_only" or fmt in dictionary[c].formats)]


def _side_value(terms: tuple[Term, ...], values: ReportValues, expand: Callable[[str], list[str]],
                approx: bool) -> _Side | None:
    """Value of one side, or None when it cannot be evaluated."""
    get = values.normalised if approx else values.printed
    single = len(terms) == 1 and terms[0].func is None
    total = 0.0
    side = _Side(0.0)
    shown = []
    for term in terms:
        codes = expand(term.name)
        known: list[float] = []
        for code in codes:
            v = get(code)
            if v is not None:
                known.append(v)
                side.codes.append(code)
                side.observations.append(values.cells[code])
            elif single or not values.implicit_zero(code):
                return None
        if term.func == "max":
            if not known:
                return None
            total += term.sign * max(known)
        else:
            total += term.sign * sum(known)
        label = f"{term.func}({expand(term.name.replace('*', '§'))[0].replace('§', '*')})" if term.func \
            else codes[0]
        shown.append(("- " if term.sign < 0 else "+ " if shown else "") + label)
    side.value = total
    side.text = shown[0] if len(shown) == 1 else "(" + " ".join(shown) + ")"
    return side


def _holds(left: float, op: str, right: float) -> bool:
    if op == "==":
        return abs(left - right) <= TOLERANCE
    if op == ">=":
        return left >= right - TOLERANCE
    if op == "<=":
        return left <= right + TOLERANCE
    return abs(left - right) <= max(TOLERANCE, APPROX_TOLERANCE * max(abs(left), abs(right)))


def _loop_values(ident: ParsedIdentity, fmt: str | None, dictionary: Dictionary) -> list[str]:
    domain = ident.loop_domain or ""
    if domain.startswith("["):
        return [x.strip() for x in domain.strip("[]").split(",") if x.strip()]
    if domain.startswith("section3.rows"):
        return [r["code"] for r in dictionary.sec3_rows
                if fmt not in NEW_FORMATS or fmt in r.get("formats", NEW_FORMATS)]
    return [m["code"] for m in dictionary.members(domain)]


def _fmt(v: float) -> str:
    return f"{v:g}"


def _check_parsed(ident: ParsedIdentity, values: ReportValues, fmt: str | None) -> list[IdentityBreak]:
    dictionary = values.dictionary
    codes = list(dictionary.indicators)
    breaks = []
    loop = _loop_values(ident, fmt, dictionary) if ident.loop_var else [None]
    for item in loop:
        subst = {ident.loop_var: item} if ident.loop_var and item else {}
        for clause in ident.clauses:
            lead = clause.sides[0][0].name
            prefix = lead.split(".")[0] + "." if "." in lead else ""
            approx = "≈" in clause.ops

            def expand(name: str, subst=subst, prefix=prefix) -> list[str]:
                return _expand(name, subst, ident.all_at, prefix, codes, fmt)

            sides = [_side_value(s, values, expand, approx) for s in clause.sides]
            if any(s is None or not s.codes for s in sides):
                continue
            for (left, op, right) in zip(sides, clause.ops, sides[1:], strict=False):
                if _holds(left.value, op, right.value):
                    continue
                scope = item or next((expand(t.name)[0] for s in clause.sides for t in s
                                      if t.func is None), ident.id)
                detail = (f"{left.text} = {_fmt(left.value)} but {right.text} = {_fmt(right.value)} "
                          f"(expected {op})")
                involved = tuple(dict.fromkeys(c for s in sides for c in s.codes))
                used = tuple({id(o): o for s in sides for o in s.observations}.values())
                breaks.append(IdentityBreak(ident.id, scope, ident.severity, detail, involved, used))
    return breaks


def _check_nonneg(values: ReportValues, severity: str) -> list[IdentityBreak]:
    out = []
    for code, obs in values.cells.items():
        if not code.startswith("sec3.") or obs.value is None:
            continue
        if obs.value < 0 or abs(obs.value - round(obs.value)) > TOLERANCE:
            out.append(IdentityBreak("s3_nonneg_int", code.split(".", 1)[1], severity,
                                     f"{code} = {_fmt(obs.value)} is not an integer >= 0", (code,), (obs,)))
    return out


def _check_cumulative(observations: list[Observation], severity: str) -> list[IdentityBreak]:
    annual: dict[str, Observation] = {}
    cumulative: dict[str, Observation] = {}
    for obs in observations:
        if not obs.indicator_code or obs.value is None or obs.source == "narrative":
            continue
        if obs.dimension is not None and obs.dimension not in ("cumulative", "ytd"):
            continue                       # per-tier columns
        target = cumulative if obs.value_column_kind in ("cumulative", "ytd") else (
            annual if obs.value_column_kind in (None, "annual") else None)
        if target is not None:
            target.setdefault(obs.indicator_code, obs)
    out = []
    for code, cum in cumulative.items():
        ann = annual.get(code)
        if ann is not None and cum.value < ann.value - TOLERANCE:
            out.append(IdentityBreak("local_cumulative_ge_annual", code, severity,
                                     f"cumulative {code} = {_fmt(cum.value)} but the year's value = "
                                     f"{_fmt(ann.value)} (expected >=)", (code,), (cum, ann)))
    return out


def check_identities(observations: list[Observation], format_version: str | None,
                     dictionary: Dictionary | None = None) -> list[IdentityBreak]:
    """Every break of every identity of indicators.yaml that applies to `format_version`."""
    dictionary = dictionary or load_default()
    if dictionary is load_default():
        parsed, _ = _parsed_default()
    else:
        parsed = tuple(parse_identity(e) for e in dictionary.identities
                       if e["id"] not in CROSS_REPORT_IDENTITIES + RULE_IDENTITIES)
    severities = {e["id"]: e.get("severity", "error") for e in dictionary.identities}
    values = ReportValues(observations, dictionary)
    breaks: list[IdentityBreak] = []
    for ident in parsed:
        if applies(ident.formats, format_version):
            breaks.extend(_check_parsed(ident, values, format_version))
    rules: dict[str, Callable[[], list[IdentityBreak]]] = {
        "s3_nonneg_int": lambda: _check_nonneg(values, severities["s3_nonneg_int"]),
        "local_cumulative_ge_annual": lambda: _check_cumulative(
            observations, severities["local_cumulative_ge_annual"]),
    }
    for entry in dictionary.identities:
        if entry["id"] in rules and applies(entry.get("formats", ()), format_version):
            breaks.extend(rules[entry["id"]]())
    return breaks


def validate(observations: list[Observation], format_version: str | None) -> list[str]:
    """Check one report; flag the observations involved; return document-level flag strings.

    Identities only: narrative-vs-table conflicts are `transforms.narrative.narrative_conflicts`
    (extract calls both). Values are never changed.
    """
    breaks = check_identities(observations, format_version)
    for brk in breaks:
        for obs in brk.observations:
            if brk.identity not in obs.flags:
                obs.flags.append(brk.identity)
    return list(dict.fromkeys(b.flag for b in breaks))


# ---------------------------------------------------------------------------------------
# Identities across reports (other years of the same agency; a region's own departments)
# ---------------------------------------------------------------------------------------

# (scope, left terms, op, right terms); a term is (sign, code, year offset). Written from the
# `expr` of each identity in indicators.yaml (which quantify over years in prose).
_YearTerm = tuple[int, str, int]
CROSS_REPORT_CHECKS: dict[str, list[tuple[str, tuple[_YearTerm, ...], str, tuple[_YearTerm, ...]]]] = {
    "s3_carry_chain": [
        ("total", ((1, "sec3.req_carried_over@total", 0),), "==",
         ((1, "sec3.req_carried_forward@total", -1),)),
    ],
    "s2_stock_flow_v2021": [
        (f"{p}_in_force", ((1, f"{p}_in_force", 0),), "≈",
         ((1, f"{p}_in_force", -1), (1, f"{p}_issued", 0), (-1, f"{p}_repealed", 0)))
        for p in ("s2_normdocs", "s2_rules")
    ],
    "s2_item_chain_v2019": [
        (f"{p}_items_prev", ((1, f"{p}_items_prev", 0), (1, f"{p}_items_change", 0)), "≈",
         ((1, f"{p}_items_prev", 1),))
        for p in ("s2_license", "s2_other_services", "s2_penalty", "s2_coercion", "s2_fees")
    ],
}
REGION_AGGREGATE_CODE = "sec3.req_new_received@total"


def _cross_holds(left: float, op: str, right: float) -> bool:
    # ≈ across years is an info-level hint: report any difference (documents expire, are
    # amended); the YAML severity (info) tells the reader how much weight it has.
    return abs(left - right) <= TOLERANCE if op in ("==", "≈") else _holds(left, op, right)


def check_across_reports(frame, dictionary: Dictionary | None = None):
    """Identities that need other reports, over a long dataframe of observations.

    `frame` columns: agency (any stable key), report_year, indicator_code, value; optional
    report_scope and region_code (for region_aggregate_ge_parts). One value per
    (agency, report_year, code) is used (the first). Returns a dataframe with columns
    identity, severity, agency, report_year, scope, detail, flag and values (the
    (agency, report_year, indicator_code) keys of the values involved, so callers can flag them).
    """
    import pandas as pd

    dictionary = dictionary or load_default()
    severities = {e["id"]: e.get("severity", "error") for e in dictionary.identities}
    columns = ["identity", "severity", "agency", "report_year", "scope", "detail", "flag", "values"]
    rows: list[dict[str, Any]] = []
    data = frame.dropna(subset=["value", "indicator_code", "report_year"])
    lookup: dict[tuple[Any, int, str], float] = {}
    for agency, year, code, value in data[["agency", "report_year", "indicator_code", "value"]].itertuples(
            index=False):
        lookup.setdefault((agency, int(year), code), float(value))
    keys = sorted({(a, y) for a, y, _ in lookup}, key=lambda k: (str(k[0]), k[1]))

    def add(identity: str, agency: Any, year: int, scope: str, detail: str, values: list) -> None:
        sev = severities.get(identity, "info")
        rows.append({"identity": identity, "severity": sev, "agency": agency, "report_year": year,
                     "scope": scope, "detail": detail, "flag": f"{identity}@{scope}: {sev}: {detail}",
                     "values": values})

    def total(terms, agency, year):
        out = 0.0
        for sign, code, offset in terms:
            v = lookup.get((agency, year + offset, code))
            if v is None:
                return None
            out += sign * v
        return out

    def show(terms, year):
        return " + ".join(f"{'-' if s < 0 else ''}{c}({year + o})" for s, c, o in terms).replace("+ -", "- ")

    for identity, checks in CROSS_REPORT_CHECKS.items():
        for agency, year in keys:
            for scope, left, op, right in checks:
                lv, rv = total(left, agency, year), total(right, agency, year)
                if lv is None or rv is None or _cross_holds(lv, op, rv):
                    continue
                add(identity, agency, year, scope,
                    f"{show(left, year)} = {_fmt(lv)} but {show(right, year)} = {_fmt(rv)} (expected {op})",
                    [(agency, year + offset, code) for _, code, offset in (*left, *right)])

    if {"report_scope", "region_code"} <= set(frame.columns):
        sub = frame[(frame["indicator_code"] == REGION_AGGREGATE_CODE) & frame["value"].notna()]
        for (region, year), group in sub.groupby(["region_code", "report_year"]):
            aggregates = group[group["report_scope"] == "region_aggregate"]
            parts = group[group["report_scope"] == "agency_only"].drop_duplicates("agency")
            if aggregates.empty or parts.empty:
                continue
            agg = aggregates.iloc[0]
            parts_sum = float(parts["value"].sum())
            if float(agg["value"]) < parts_sum - TOLERANCE:
                add("region_aggregate_ge_parts", agg["agency"], int(year), str(region),
                    f"{REGION_AGGREGATE_CODE} = {_fmt(float(agg['value']))} but the {len(parts)} own-department "
                    f"reports sum to {_fmt(parts_sum)} (expected >=)",
                    [(a, int(year), REGION_AGGREGATE_CODE) for a in (agg["agency"], *parts["agency"])])
    return pd.DataFrame(rows, columns=columns)
