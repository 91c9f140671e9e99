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
    # -- rules of a real round (rules term, record, language, local_only, home) ------
    "rule.term": (
        "term does not fit (availability, or over 36 months seconded in all)",
        "thời hạn không phù hợp (thời gian sẵn sàng, hoặc quá 36 tháng biệt phái)",
    ),
    "rule.record": (
        "too few years rated 'completed tasks well'",
        "chưa đủ số năm được đánh giá 'hoàn thành tốt nhiệm vụ'",
    ),
    "rule.language": (
        "does not speak the language the post needs",
        "không biết tiếng dân tộc mà vị trí yêu cầu",
    ),
    "rule.local_only": (
        "on-the-spot official serves only their own commune",
        "cán bộ biệt phái tại chỗ chỉ hỗ trợ xã nơi mình công tác",
    ),
    "rule.home": (
        "not sent to their own home commune (policy)",
        "không biệt phái về xã nơi mình cư trú (theo chính sách)",
    ),
    "rule_detail.term": (
        "{title}: {value:.0f} months in all > {limit:.0f}",
        "{title}: tổng {value:.0f} tháng > {limit:.0f}",
    ),
    "rule_detail.record": (
        "{title}: {value:.0f} years < required {limit:.0f}",
        "{title}: {value:.0f} năm < yêu cầu {limit:.0f}",
    ),
    # -- the catalogue of rules and constraints (staffopt.rules.catalogue) ----------
    "catalogue.rule": ("eligibility rule", "quy tắc điều kiện"),
    "catalogue.constraint": ("constraint", "ràng buộc"),
    "catalogue.on": ("on", "bật"),
    "catalogue.off": ("off", "tắt"),
    "catalogue.entry": (
        "{name} ({kind}, default {default}): {title}",
        "{name} ({kind}, mặc định {default}): {title}",
    ),
    "catalogue.source": ("source: {source}", "căn cứ: {source}"),
    "catalogue.policy_keys": ("policy keys: {keys}", "khóa chính sách: {keys}"),
    "catalogue.columns": ("columns: {columns}", "cột dữ liệu: {columns}"),
    "constraint.official_capacity": ("official's capacity", "khả năng của cán bộ"),
    "constraint.need_slots": ("slots of a need", "số vị trí của nhu cầu"),
    "constraint.mandatory_need": ("mandatory need", "nhu cầu bắt buộc"),
    "constraint.agency_floor": ("agency floor", "mức tối thiểu của cơ quan"),
    "constraint.agency_ceiling": ("agency ceiling", "mức tối đa của cơ quan"),
    "constraint.lock": ("planner's lock", "chỉ định của người lập kế hoạch"),
    "about.unavailable": (
        "an official marked unavailable (leave, illness, other duty) is not seconded",
        "cán bộ được đánh dấu không sẵn sàng (nghỉ phép, ốm, nhiệm vụ khác) không được biệt phái",
    ),
    "about.forbidden": (
        "a pair the planner forbade (locks table, kind forbid) is never chosen",
        "cặp bị người lập kế hoạch loại trừ (bảng locks, kind forbid) không bao giờ được chọn",
    ),
    "about.protected": (
        "a person pregnant or raising a child under 36 months is not seconded unless they "
        "volunteer and the policy lets volunteers go",
        "người đang mang thai hoặc nuôi con dưới 36 tháng tuổi không bị biệt phái, trừ khi tự "
        "nguyện và chính sách cho phép",
    ),
    "about.skill_level": (
        "the official's level in the need's field must reach the need's min_level",
        "trình độ của cán bộ trong lĩnh vực phải đạt min_level của nhu cầu",
    ),
    "about.workload": (
        "one slot's workload must fit within the official's capacity",
        "khối lượng của một vị trí phải nằm trong khả năng của cán bộ",
    ),
    "about.max_km": (
        "the road distance to the commune stays within the policy's max_km",
        "khoảng cách đường bộ đến xã không vượt max_km của chính sách",
    ),
    "about.personal_max_km": (
        "the road distance stays within the limit the person stated (max_km column)",
        "khoảng cách đường bộ không vượt giới hạn do chính người đó nêu (cột max_km)",
    ),
    "about.term": (
        "the term (start, months) must fit the person's availability, and earlier plus new "
        "months stay within max_months_seconded (36)",
        "thời hạn (ngày bắt đầu, số tháng) phải nằm trong thời gian sẵn sàng của người đó, và "
        "số tháng đã biệt phái cộng số tháng mới không quá max_months_seconded (36)",
    ),
    "about.record": (
        "the person was rated 'completed tasks well' in at least min_years_rated_well "
        "consecutive years",
        "người đó được đánh giá 'hoàn thành tốt nhiệm vụ' ít nhất min_years_rated_well năm "
        "liên tiếp",
    ),
    "about.language": (
        "a need with a language takes only officials who list it (compared without case or "
        "accents)",
        "nhu cầu có yêu cầu tiếng dân tộc chỉ nhận cán bộ biết tiếng đó (so sánh không phân "
        "biệt hoa thường và dấu)",
    ),
    "about.local_only": (
        "a local (on-the-spot) official serves only needs of their home commune, at 0 km, "
        "within their own capacity",
        "cán bộ biệt phái tại chỗ chỉ hỗ trợ nhu cầu của xã nơi mình công tác, 0 km, trong "
        "khả năng của mình",
    ),
    "about.home": (
        "a seconded official's own home commune: allowed, preferred (home_commune_points "
        "added to the score) or forbidden",
        "xã nơi cán bộ biệt phái cư trú: cho phép, ưu tiên (cộng home_commune_points vào "
        "điểm) hoặc không cho phép",
    ),
    "about.official_capacity": (
        "an official's total workload stays within their capacity (shared part-time posts)",
        "tổng khối lượng của một cán bộ không vượt khả năng (kiêm nhiệm bán thời gian)",
    ),
    "about.need_slots": (
        "a need gets at most slots people",
        "mỗi nhu cầu nhận không quá số vị trí (slots)",
    ),
    "about.mandatory_need": (
        "a mandatory need gets exactly slots people (a hard requirement)",
        "nhu cầu bắt buộc nhận đúng số vị trí (yêu cầu cứng)",
    ),
    "about.agency_floor": (
        "an agency releases at least min_release people",
        "mỗi cơ quan cử ít nhất min_release người",
    ),
    "about.agency_ceiling": (
        "an agency releases at most max_release (else headcount) people",
        "mỗi cơ quan cử không quá max_release người (mặc định: biên chế)",
    ),
    "about.lock": (
        "a pair the planner locked (locks table, kind lock) is assigned",
        "cặp được người lập kế hoạch chỉ định (bảng locks, kind lock) được bố trí",
    ),
    "source.practice": ("practice", "thực tiễn"),
    "source.planner": ("the planner's decision", "quyết định của người lập kế hoạch"),
    "source.hearing": (
        "the person's stated constraints (the sending body hears them first)",
        "nguyện vọng của người được biệt phái (cơ quan cử phải lấy ý kiến trước)",
    ),
    "source.public_employees_36_7": (
        "Law on Public Employees art. 36.7",
        "Luật Viên chức điều 36 khoản 7",
    ),
    "source.term_36_months": (
        "Decree 170/2025 art. 26; Law on Public Employees art. 36",
        "Nghị định 170/2025 điều 26; Luật Viên chức điều 36",
    ),
    "source.dien_bien": (
        "practice (Điện Biên, Oct 2025: rated well 3 years)",
        "thực tiễn (Điện Biên, 10/2025: 3 năm hoàn thành tốt nhiệm vụ)",
    ),
    "source.on_the_spot": (
        "practice: on-the-spot secondment (Điện Biên teachers)",
        "thực tiễn: biệt phái tại chỗ (giáo viên ở Điện Biên)",
    ),
    "source.agency_share": (
        "practice: departments list a share of staff (Nghệ An 5 %)",
        "thực tiễn: các sở cử một tỷ lệ cán bộ (Nghệ An 5 %)",
    ),
    # -- shared support across communes (pieces max_communes, max_km_between) -------
    "unmet.max_communes": (
        "the free candidates already cover as many communes as allowed (max_communes)",
        "các ứng viên còn trống đã hỗ trợ đủ số xã tối đa (max_communes)",
    ),
    "unmet.max_km_between": (
        "the free candidates cover communes too far from this one (max_km_between)",
        "các ứng viên còn trống đang hỗ trợ xã quá xa xã này (max_km_between)",
    ),
    "blocker.max_communes": (
        "score {score}; already covers as many communes as allowed (max_communes)",
        "điểm {score}; đã hỗ trợ đủ số xã tối đa (max_communes)",
    ),
    "blocker.max_km_between": (
        "score {score}; already covers a commune too far from this one (max_km_between)",
        "điểm {score}; đang hỗ trợ một xã quá xa xã này (max_km_between)",
    ),
    "obstacle.max_communes": (
        "limits on the communes one person covers",
        "giới hạn số xã một người hỗ trợ",
    ),
    "obstacle.max_km_between": (
        "limits on the distance between communes one person covers",
        "giới hạn khoảng cách giữa các xã một người hỗ trợ",
    ),
    "constraint.max_communes": ("communes one person covers", "số xã một người hỗ trợ"),
    "constraint.max_km_between": (
        "distance between communes one person covers",
        "khoảng cách giữa các xã một người hỗ trợ",
    ),
    "about.max_communes": (
        "one person covers at most max_communes communes (policy, or the official's own value)",
        "một người hỗ trợ không quá max_communes xã (theo chính sách hoặc giá trị riêng của "
        "cán bộ)",
    ),
    "about.max_km_between": (
        "any two communes one person covers are at most max_km_between road km apart",
        "hai xã bất kỳ do một người hỗ trợ cách nhau không quá max_km_between km đường bộ",
    ),
    "source.shared_support": (
        "practice: one specialist supports a few neighbouring communes",
        "thực tiễn: một chuyên viên hỗ trợ vài xã lân cận",
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
    return text(
        f"requirement.{req.kind}", lang, id=req.id, limit=req.limit, official=official, need=need
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
