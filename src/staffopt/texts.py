"""The catalogue of user-facing words: every code's text in English and Vietnamese.

One entry per code, keyed ``"<kind>.<code>"`` (``status.optimal``,
``unmet.agency_ceiling``, ``blocker.busy``, ``requirement.lock``,
``obstacle.multi_assignment``, ``rule.max_km``, ``rule_detail.max_km``,
``stopped.user`` ...);
decoding, explanations, the report, the CLI and conflict messages all read
them here, so a code reads the same wherever it shows. Templates use
:meth:`str.format` fields (``{limit}``, ``{value:.0f}`` ...).

A leaf module: it imports only :mod:`staffopt.results` (for the code sets).
"""

from __future__ import annotations

from typing import Any, Literal

from staffopt.results import Requirement, SolverFacts, Status, StoppedBy

Lang = Literal["en", "vi"]
LANGS: tuple[Lang, ...] = ("en", "vi")

CATALOGUE: dict[str, tuple[str, str]] = {
    # -- what a solve proved ---------------------------------------------------------
    "status.optimal": ("optimal (proven)", "tối ưu (đã chứng minh)"),
    "status.feasible": ("feasible, not proven optimal", "khả thi, chưa chứng minh tối ưu"),
    "status.infeasible": ("infeasible", "không khả thi"),
    "status.unknown": (
        "no solution within the time limit",
        "không tìm được lời giải trong thời gian",
    ),
    # -- why a slot stays empty (results.UnmetReason) --------------------------------
    "unmet.no_eligible_candidate": (
        "no eligible candidate",
        "không có ứng viên đủ điều kiện",
    ),
    "unmet.candidates_taken": (
        "every candidate is assigned elsewhere or has no time left",
        "mọi ứng viên đã được bố trí nơi khác hoặc hết thời gian",
    ),
    "unmet.agency_ceiling": (
        "the free candidates' agencies have released all they can",
        "cơ quan của các ứng viên còn trống đã cử đủ số tối đa",
    ),
    "unmet.not_worth_it": (
        "the free candidates would lower the total score (too far)",
        "các ứng viên còn trống sẽ làm giảm tổng điểm (quá xa)",
    ),
    "unmet.solver_stopped": (
        "the solver stopped before proving this slot cannot be filled better",
        "bộ giải dừng trước khi chứng minh được phương án tốt hơn",
    ),
    "unmet.other_requirements": (
        "other hard requirements (floors, mandatory needs, locks) prevent it",
        "các yêu cầu bắt buộc khác (mức tối thiểu, nhu cầu bắt buộc, chỉ định) ngăn cản",
    ),
    "unmet.infeasible": ("the scenario is infeasible", "kịch bản không khả thi"),
    # -- why an eligible candidate was not chosen (results.Blocker) ------------------
    "blocker.busy": ("time used elsewhere", "đã hết thời gian (bố trí nơi khác)"),
    "blocker.agency_ceiling": (
        "the official's agency has already released its maximum",
        "cơ quan của cán bộ đã cử đủ số tối đa",
    ),
    "blocker.not_worth_it": (
        "score {score} <= 0: sending would lower the total",
        "điểm {score} <= 0: cử đi sẽ làm giảm tổng điểm",
    ),
    "blocker.slot_taken": (
        "score {score}; the slot(s) went to {who}",
        "điểm {score}; vị trí đã giao cho {who}",
    ),
    "blocker.other_requirements": (
        "score {score}; leaving it empty serves the total better (other requirements)",
        "điểm {score}; để trống có lợi hơn cho tổng thể (các yêu cầu khác)",
    ),
    # -- hard requirements a planner sets (results.RequirementKind) ------------------
    "requirement.mandatory_need": (
        "mandatory need {id} must get all {limit} slot(s) filled",
        "nhu cầu bắt buộc {id} phải được bố trí đủ {limit} người",
    ),
    "requirement.lock": (
        "lock: {official} must be assigned to {need}",
        "chỉ định: {official} phải được bố trí vào {need}",
    ),
    "requirement.agency_floor": (
        "agency {id} must release at least {limit} people",
        "cơ quan {id} phải cử ít nhất {limit} người",
    ),
    "requirement.agency_ceiling": (
        "agency {id} releases at most {limit} people",
        "cơ quan {id} cử tối đa {limit} người",
    ),
    # -- why a model is not a pure network (results.Obstacle) ------------------------
    "obstacle.mandatory_need": ("mandatory needs", "nhu cầu bắt buộc"),
    "obstacle.lock": ("locks", "chỉ định"),
    "obstacle.agency_floor": ("agency floors", "mức cử tối thiểu của cơ quan"),
    "obstacle.multi_assignment": (
        "officials who can take several part-time assignments",
        "cán bộ có thể nhận nhiều nhiệm vụ bán thời gian",
    ),
    # -- eligibility rules (staffopt.rules.RULES): title, then the detail sentence ---
    "rule.unavailable": ("official unavailable", "cán bộ không sẵn sàng"),
    "rule.forbidden": ("forbidden by the planner", "bị người lập kế hoạch loại trừ"),
    "rule.protected": (
        "protected (pregnant or child under 36 months)",
        "thuộc diện bảo vệ (mang thai hoặc nuôi con dưới 36 tháng)",
    ),
    "rule.skill_level": ("skill level too low", "trình độ chuyên môn chưa đạt"),
    "rule.workload": (
        "workload above the official's capacity",
        "khối lượng công việc vượt quá khả năng",
    ),
    "rule.max_km": ("beyond the policy's distance limit", "vượt giới hạn khoảng cách chung"),
    "rule.personal_max_km": (
        "beyond the official's own distance limit",
        "vượt giới hạn khoảng cách cá nhân",
    ),
    "rule_detail.skill_level": (
        "{title}: level {value:.0f} < required {limit:.0f}",
        "{title}: trình độ {value:.0f} < yêu cầu {limit:.0f}",
    ),
    "rule_detail.workload": (
        "{title}: {value:g} FTE per slot > capacity {limit:g} FTE",
        "{title}: {value:g} > {limit:g} FTE",
    ),
    "rule_detail.max_km": (
        "{title}: {value:.0f} km > limit {limit:.0f} km",
        "{title}: {value:.0f} km > {limit:.0f} km",
    ),
    "rule_detail.personal_max_km": (
        "{title}: {value:.0f} km > limit {limit:.0f} km",
        "{title}: {value:.0f} km > {limit:.0f} km",
    ),
    # -- what a change would cost (staffopt.whatif) -----------------------------------
    "whatif.change": ("Change: {items}", "Thay đổi: {items}"),
    "whatif.lock": ("lock {official} -> {need}", "chỉ định {official} -> {need}"),
    "whatif.forbid": ("forbid {official} -> {need}", "loại trừ {official} -> {need}"),
    "whatif.overrides_forbid": (
        "the lock {official} -> {need} replaces the planner's forbid of that pair",
        "chỉ định {official} -> {need} thay cho việc loại trừ cặp này của người lập kế hoạch",
    ),
    "whatif.not_an_arc": (
        "{official} cannot be assigned to {need}: {why}",
        "{official} không thể được bố trí vào {need}: {why}",
    ),
    "whatif.no_field": (
        "the official has no skill in the need's field (or works for another province)",
        "cán bộ không có chuyên môn thuộc lĩnh vực của nhu cầu (hoặc thuộc tỉnh khác)",
    ),
    "whatif.not_possible": ("Not possible: {why}", "Không khả thi: {why}"),
    "whatif.delta": (
        "Total score {old:g} -> {new:g} ({delta:+g}); slots filled {filled_old} -> {filled_new}",
        "Tổng điểm {old:g} -> {new:g} ({delta:+g}); vị trí được bố trí {filled_old} -> "
        "{filled_new}",
    ),
    # -- the staffopt command ---------------------------------------------------------
    "cli.plan_written": ("plan written to {path}", "đã ghi phương án vào {path}"),
    "cli.workbook_written": ("workbook written to {path}", "đã ghi bảng tính vào {path}"),
    # -- status and conflict messages of a solve -------------------------------------
    "message.no_solution": (
        "no plan found within the time limit of {limit:g} s; raise time_limit_s",
        "không tìm được phương án trong giới hạn {limit:g} giây; hãy tăng time_limit_s",
    ),
    "message.infeasible": (
        "infeasible: the hard rules cannot all hold",
        "không khả thi: các quy tắc bắt buộc không thể cùng thỏa mãn",
    ),
    "message.conflict": (
        "infeasible: these requirements cannot all hold together: {items}",
        "không khả thi: các yêu cầu sau không thể cùng thỏa mãn: {items}",
    ),
    # -- allowance budget (staffopt.allowance; requirement, unmet, blocker, obstacle) --
    "requirement.budget": (
        "the allowance budget of {id} ({limit:,} VND) is not exceeded",
        "không vượt ngân sách phụ cấp của {id} ({limit:,} đồng)",
    ),
    "unmet.budget": (
        "the allowance budget has too little left for any free candidate",
        "ngân sách phụ cấp còn lại không đủ cho ứng viên nào còn trống",
    ),
    "blocker.budget": (
        "filling this post would cost {cost:g} million VND; {left:g} million are left",
        "bố trí vị trí này sẽ tốn {cost:g} triệu đồng; ngân sách chỉ còn {left:g} triệu",
    ),
    "obstacle.budget": ("allowance budgets", "ngân sách phụ cấp"),
    "budget.scenario": ("the whole scenario", "toàn bộ kịch bản"),
    "budget.cost_line": (
        "Allowances: {cost:g} million VND for {months} months",
        "Phụ cấp: {cost:g} triệu đồng cho {months} tháng",
    ),
    "budget.total": (
        "Allowance cost: {total:,} VND in all",
        "Chi phí phụ cấp: tổng cộng {total:,} đồng",
    ),
    "budget.used": (
        "budget {id}: {spent:,} of {limit:,} VND spent ({left:,} left)",
        "ngân sách {id}: đã dùng {spent:,}/{limit:,} đồng (còn {left:,})",
    ),
    # -- why a search stopped (results.StoppedBy, Plan.stopped_by): stop_text() ----
    "stopped.time_limit": (
        "time limit of {limit:g} s reached before optimality was proven",
        "hết thời gian {limit:g} giây trước khi chứng minh được tối ưu",
    ),
    "stopped.work_limit": (
        "work limit of the reproducible mode (the equivalent of {limit:g} s) reached "
        "before optimality was proven",
        "đã dùng hết khối lượng tính toán của chế độ tái lập (tương đương {limit:g} giây) "
        "trước khi chứng minh được tối ưu",
    ),
    "stopped.work_limit_no_plan": (
        "no plan found within the work limit of the reproducible mode (the equivalent of "
        "{limit:g} s); raise time_limit_s",
        "không tìm được phương án trong khối lượng tính toán của chế độ tái lập (tương đương "
        "{limit:g} giây); hãy tăng time_limit_s",
    ),
    "stopped.gap": (
        "stopped within the requested gap of {gap:.2%} of the bound; not proven optimal",
        "đã dừng khi phương án cách cận không quá {gap:.2%} như yêu cầu; "
        "chưa chứng minh được tối ưu",
    ),
    "stopped.user": (
        "stopped by the user; the best plan found so far is kept, not proven optimal",
        "người dùng đã dừng tìm kiếm; giữ phương án tốt nhất đã tìm được, "
        "chưa chứng minh được tối ưu",
    ),
    "stopped.user_optimal": (
        "stopped by the user after the plan was proven optimal",
        "người dùng đã dừng tìm kiếm sau khi phương án đã được chứng minh tối ưu",
    ),
    "stopped.user_no_plan": (
        "stopped by the user before any plan was found",
        "người dùng đã dừng tìm kiếm trước khi tìm được phương án nào",
    ),
    "stopped.wall_clock": (
        "the wall-clock safety limit of {wall:g} s cut the reproducible search short: "
        "another run may give another plan",
        "giới hạn an toàn theo đồng hồ ({wall:g} giây) đã cắt ngắn việc tìm kiếm ở chế độ "
        "tái lập: lần chạy khác có thể cho phương án khác",
    ),
}


def as_lang(lang: str) -> Lang:
    """``lang`` checked: ``"en"`` or ``"vi"``."""
    if lang not in LANGS:
        raise ValueError(f"lang must be 'en' or 'vi', not {lang!r}")
    return "vi" if lang == "vi" else "en"


def text(key: str, lang: str = "en", **values: Any) -> str:
    """The catalogue's text for ``key`` in ``lang``, its ``{fields}`` filled from ``values``."""
    en, vi = CATALOGUE[key]
    template = vi if lang == "vi" else en
    return template.format(**values) if values else template


def pick(lang: str, en: str, vi: str) -> str:
    """One of two sentences built in place (explanations with many values), by language."""
    return vi if lang == "vi" else en


def requirement_text(req: Requirement, lang: str = "en") -> str:
    """A requirement as a sentence: ``agency A1 must release at least 2 people``."""
    official, _, need = req.id.partition("->")
    # The policy's budget covers the whole scenario; a province budget names its province.
    shown = (
        text("budget.scenario", lang) if (req.kind, req.id) == ("budget", "scenario") else req.id
    )
    return text(
        f"requirement.{req.kind}", lang, id=shown, limit=req.limit, official=official, need=need
    )


def conflict_message(conflicts: list[Requirement], lang: str = "en") -> str:
    """The infeasibility message, naming the requirements that clash when known."""
    if not conflicts:
        return text("message.infeasible", lang)
    items = "; ".join(requirement_text(c, lang) for c in conflicts)
    return text("message.conflict", lang, items=items)


def stop_text(
    stopped_by: StoppedBy | None, status: Status, facts: SolverFacts, lang: str = "en"
) -> str:
    """Why a search stopped, as the plan's message in ``lang``; "" when it needs no word.

    From the run's facts: the time limit, the requested gap, whether the run
    was reproducible (its time limit is then a work limit) and whether the
    wall-clock safety net cut it short. ``None`` (a plan written before
    staffopt recorded why it stopped) and ``optimal`` need no word;
    ``infeasible`` gets the general sentence (a solve words its conflicts).
    """
    values: dict[str, Any] = {"limit": facts.time_limit_s or 0.0, "gap": facts.relative_gap or 0.0}
    key: str | None = None
    if stopped_by == "infeasible":
        key = "message.infeasible"
    elif stopped_by == "user":
        key = {"optimal": "stopped.user_optimal", "feasible": "stopped.user"}.get(
            status, "stopped.user_no_plan"
        )
    elif stopped_by == "time_limit":
        found = status in ("optimal", "feasible")
        if facts.deterministic:
            key = "stopped.work_limit" if found else "stopped.work_limit_no_plan"
        else:
            key = "stopped.time_limit" if found else "message.no_solution"
    elif stopped_by == "gap":
        key = "stopped.gap"
    words = [] if key is None else [text(key, lang, **values)]
    if facts.wall_clock_stop:
        words.append(text("stopped.wall_clock", lang, wall=facts.safety_net_s or 0.0))
    return "; ".join(words)
