"""The catalogue of user-facing words: every code's text in English and Vietnamese.

One entry per code, keyed ``"<kind>.<code>"`` (``status.optimal``,
``unmet.agency_ceiling``, ``blocker.busy``, ``requirement.lock``,
``obstacle.multi_assignment``, ``rule.max_km``, ``rule_detail.max_km``,
``stopped.user`` ...);
decoding, explanations, the report, the CLI and conflict messages all read
them here, so a code reads the same wherever it shows. Templates use
:meth:`str.format` fields (``{limit}``, ``{value:.0f}`` ...).

Validation problems (:class:`staffopt.errors.Problem`) carry :class:`Phrase`
values: text that is its English wording (so ``str`` comparisons keep working)
and remembers its key and values, to be worded again in Vietnamese.

A leaf module: it imports only :mod:`staffopt.results` (for the code sets).
"""

from __future__ import annotations

from collections.abc import Mapping
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
        "the free candidates would lower the total score",
        "các ứng viên còn trống sẽ làm giảm tổng điểm",
    ),
    "unmet.solver_stopped": (
        "the solver stopped before proving this slot cannot be filled better",
        "bộ giải dừng trước khi chứng minh được phương án tốt hơn",
    ),
    "unmet.mechanism_rule": (
        "the allocation mechanism's rule left it open although a free candidate could take it",
        "quy tắc của cơ chế phân bổ để trống dù còn ứng viên có thể nhận",
    ),
    "unmet.other_requirements": (
        "other hard requirements (floors, mandatory needs, locks) prevent it",
        "các yêu cầu bắt buộc khác (mức tối thiểu, nhu cầu bắt buộc, chỉ định) ngăn cản",
    ),
    "unmet.infeasible": ("the scenario is infeasible", "kịch bản không khả thi"),
    # -- why an eligible candidate was not chosen (results.Blocker) ------------------
    "blocker.busy": ("time used elsewhere", "đã hết thời gian (bố trí nơi khác)"),
    "explain.busy_budget": (
        "moving this official here would cost {extra} million VND more than that post, "
        "and the budget has {left} million left",
        "chuyển cán bộ này về đây sẽ tốn thêm {extra} triệu đồng so với vị trí đó, "
        "trong khi ngân sách chỉ còn {left} triệu",
    ),
    "blocker.agency_ceiling": (
        "the official's agency has already released its maximum",
        "cơ quan của cán bộ đã cử đủ số tối đa",
    ),
    "blocker.not_worth_it": (
        "score {score} <= 0: sending would lower the total",
        "điểm {score} <= 0: cử đi sẽ làm giảm tổng điểm",
    ),
    "blocker.too_far": (
        "score {score} <= 0: too far (travel {travel:+d} points, {km:.0f} km)",
        "điểm {score} <= 0: quá xa (đi lại {travel:+d} điểm, {km:.0f} km)",
    ),
    "blocker.low_affinity": (
        "score {score} <= 0: the planner's affinity for this pair is {affinity:+d}",
        "điểm {score} <= 0: mức ưu tiên riêng của cặp này là {affinity:+d}",
    ),
    "blocker.slot_taken": (
        "score {score}; the slot(s) went to {who}",
        "điểm {score}; vị trí đã giao cho {who}",
    ),
    "blocker.mechanism_rule": (
        "score {score}; the allocation mechanism's rule passed it by",
        "điểm {score}; quy tắc của cơ chế phân bổ đã bỏ qua cặp này",
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
    # -- explanations: runner-ups and re-solved costs (explain.py, explain_all.py) ---
    "explain.scores_less": (
        "scores {diff} less than the chosen one",
        "kém người được chọn {diff} điểm",
    ),
    "explain.scores_more": (
        "scores {diff} more than the chosen one",
        "hơn người được chọn {diff} điểm",
    ),
    "explain.also_chosen": (
        "fills another slot of this need",
        "đảm nhận một vị trí khác của nhu cầu này",
    ),
    "explain.scores_same": ("scores the same as the chosen one", "bằng điểm người được chọn"),
    "explain.assignment": (
        "{official} goes to {need}, score {score}.",
        "{official} được biệt phái đến {need}, điểm {score}.",
    ),
    "explain.unmet": (
        "{need}: empty slot {slot} of {missing}: {why}.",
        "{need}: vị trí trống {slot}/{missing}: {why}.",
    ),
    "explain.unused": (
        "{official} stays at home: {why}.",
        "{official} không được biệt phái: {why}.",
    ),
    "explain.only_candidate": (
        "No other eligible candidate.",
        "Không có ứng viên đủ điều kiện nào khác.",
    ),
    "explain.best_score": (
        "No other candidate scores higher.",
        "Không ứng viên nào khác có điểm cao hơn.",
    ),
    "explain.higher_runner_up": (
        "{runner} {difference} but is not chosen: {why}.",
        "{runner} {difference} nhưng không được chọn: {why}.",
    ),
    "explain.locked": (
        "The planner's lock requires this pair ({lock}).",
        "Người lập kế hoạch đã chỉ định cặp này ({lock}).",
    ),
    "explain.no_matching_need": (
        "no need asks for the official's fields",
        "không có nhu cầu nào thuộc lĩnh vực của cán bộ",
    ),
    "explain.best_post": ("best post {need}: {why}", "vị trí phù hợp nhất {need}: {why}"),
    "explain.forbid_cost": (
        "If this pair were forbidden, the best plan would score {cost} less: {alternative}.",
        "Nếu loại trừ cặp này, phương án tốt nhất sẽ giảm {cost} điểm: {alternative}.",
    ),
    "explain.fill_cost": (
        "Filling {extra} more slot(s) here would cost {cost} points: {alternative}.",
        "Bố trí thêm {extra} người cho nhu cầu này sẽ làm giảm {cost} điểm: {alternative}.",
    ),
    "explain.send_cost": (
        "Sending this official would cost {cost} points: to {alternative}.",
        "Cử cán bộ này đi sẽ làm giảm {cost} điểm: đến {alternative}.",
    ),
    "explain.takes_post": ("{who} would take the post", "{who} sẽ đảm nhận vị trí"),
    "explain.stays_empty": ("the post would stay empty", "vị trí sẽ để trống"),
    "explain.would_fill": ("{who} would fill it", "{who} sẽ được bố trí"),
    "explain.moves": ("Other changes: {moves}", "Các thay đổi khác: {moves}"),
    "explain.impossible_forbid": (
        "Without this pair no plan keeps every hard rule: it is required.",
        "Không có cặp này thì không phương án nào thỏa mãn mọi quy tắc bắt buộc: "
        "cặp này là bắt buộc.",
    ),
    "explain.impossible_fill": (
        "Impossible to fill {extra} more slot(s) here: {why}.",
        "Không thể bố trí thêm {extra} người cho nhu cầu này: {why}.",
    ),
    "explain.impossible_send": (
        "Impossible to send this official: {why}.",
        "Không thể cử cán bộ này đi: {why}.",
    ),
    "explain.no_eligible_post": (
        "no post is open to this official",
        "không có vị trí nào mà cán bộ này đủ điều kiện",
    ),
    "explain.too_few_candidates": (
        "too few eligible candidates",
        "không đủ ứng viên đủ điều kiện",
    ),
    "explain.hard_rules": (
        "the hard rules (ceilings, floors, mandatory needs, locks) do not allow it",
        "các quy tắc bắt buộc (mức tối đa, tối thiểu, nhu cầu bắt buộc, chỉ định) không cho phép",
    ),
    "explain.cost_bound": (
        "(not proven within {seconds:g} s: the cost lies between {low} and {cost})",
        "(chưa chứng minh trong {seconds:g} giây: mức giảm nằm trong khoảng {low} đến {cost})",
    ),
    "explain.cost_unknown": (
        "No re-solve finished within {seconds:g} s: the cost is unknown.",
        "Không giải lại xong trong {seconds:g} giây: chưa biết mức giảm.",
    ),
    "explain.cost_skipped": (
        "Not re-solved: the time limit of {limit:g} s for all the explanations ran out.",
        "Chưa giải lại: đã hết {limit:g} giây dành cho toàn bộ phần giải thích.",
    ),
    "explain.base_not_optimal": (
        "(The plan is not proven optimal: costs are measured against its score; a negative "
        "cost means the re-solve found a better plan.)",
        "(Phương án chưa được chứng minh tối ưu: mức giảm được tính so với điểm của phương án "
        "này; mức giảm âm nghĩa là khi giải lại đã tìm được phương án tốt hơn.)",
    ),
    # -- explanations of one official, need or commune (explain.py) ------------------
    "explain.zone": ("zone {zone}", "vùng {zone}"),
    # the score parts of a pair (the arcs' columns: explain.SCORE_PARTS)
    "explain.part.base_pts": ("base", "cơ bản"),
    "explain.part.zone_pts": ("zone", "vùng"),
    "explain.part.criticality_pts": ("criticality", "mức cấp thiết"),
    "explain.part.level_pts": ("skill level", "trình độ"),
    "explain.part.border_pts": ("border", "biên giới"),
    "explain.part.affinity": ("affinity", "ưu tiên riêng"),
    "explain.part.travel_pts": ("travel", "đi lại"),
    "explain.part.home_pts": ("home commune", "xã nơi cư trú"),
    "explain.not_assigned": ("not assigned", "chưa được bố trí"),
    "explain.score_of": ("score {score}", "điểm {score}"),
    "explain.assigned_to": ("assigned to {needs}", "đã bố trí cho {needs}"),
    "explain.goes_to": ("{official} goes to {need}.", "{official} được biệt phái đến {need}."),
    "explain.score_line": ("Score {breakdown}", "Điểm {breakdown}"),
    "explain.no_other_candidate": (
        "No other eligible candidate for this need.",
        "Không có ứng viên đủ điều kiện nào khác cho nhu cầu này.",
    ),
    "explain.runners_up": ("Runner-up candidates:", "Các ứng viên kế tiếp:"),
    "explain.runner_up": (
        "{official}: score {score} ({difference}); {why}",
        "{official}: điểm {score} ({difference}); {why}",
    ),
    "explain.maximises_total": (
        "The plan maximises the total score over all communes, so a runner-up with a "
        "higher score of its own may serve better elsewhere.",
        "Phương án tối đa hóa tổng điểm trên toàn tỉnh, nên ứng viên có điểm cao hơn "
        "có thể được bố trí ở nơi có lợi hơn.",
    ),
    "explain.not_seconded": ("{official} is not seconded.", "{official} không được biệt phái."),
    "explain.no_need_for_fields": (
        "No need asks for the official's fields ({fields}).",
        "Không có nhu cầu nào thuộc lĩnh vực của cán bộ ({fields}).",
    ),
    "explain.taker": ("{official} (score {score})", "{official} (điểm {score})"),
    "explain.need_filled": (
        "Need {need}: {filled} of {slots} slot(s) filled.",
        "Nhu cầu {need}: đã bố trí {filled}/{slots} người.",
    ),
    "explain.slots_empty": (
        "{missing} slot(s) stay empty: {why}.",
        "Còn thiếu {missing} người: {why}.",
    ),
    "explain.all_candidates_here": (
        "Every eligible candidate is already assigned to this need.",
        "Mọi ứng viên đủ điều kiện đều đã được bố trí cho nhu cầu này.",
    ),
    "explain.no_official_in_field": (
        "No official in reach has the field '{field}'.",
        "Không có cán bộ nào trong phạm vi có chuyên môn '{field}'.",
    ),
    "explain.candidate": ("{official} (score {score}): {why}", "{official} (điểm {score}): {why}"),
    "explain.commune": (
        "Commune {name} [{commune}], zone {zone}: {needs} need(s), "
        "{assigned} official(s) assigned.",
        "Xã {name} [{commune}], vùng {zone}: {needs} nhu cầu, đã bố trí {assigned} cán bộ.",
    ),
    # -- the staffopt command ---------------------------------------------------------
    "cli.round_scenario_written": (
        "the next round's scenario (history added) written to {path}: explain, report "
        "and what-if this plan with --scenario {path}",
        "kịch bản của đợt mới (đã cộng quá trình biệt phái) đã ghi vào {path}: giải thích, "
        "báo cáo và what-if phương án này với --scenario {path}",
    ),
    "cli.plan_written": ("plan written to {path}", "đã ghi phương án vào {path}"),
    "cli.workbook_written": ("workbook written to {path}", "đã ghi bảng tính vào {path}"),
    "cli.explanations_written": (
        "{rows} explanations written to {path}",
        "đã ghi {rows} giải thích vào {path}",
    ),
    # -- the HTML report (html_report.py) --------------------------------------------
    "report.title": ("Secondment plan: {name}", "Phương án biệt phái: {name}"),
    "report.summary": ("Summary", "Tổng hợp"),
    "report.coverage_zone": ("Coverage by zone", "Tỷ lệ bố trí theo vùng"),
    "report.coverage_field": ("Coverage by field", "Tỷ lệ bố trí theo lĩnh vực"),
    "report.coverage": ("Share of slots filled", "Tỷ lệ vị trí đã bố trí"),
    "report.zone": ("zone {zone}", "vùng {zone}"),
    "report.map": ("Map of the communes", "Bản đồ các xã"),
    "report.map_note": (
        "Points: communes, coloured by the share of their slots filled and sized by the "
        "slots they need (grey: no need). Lines: from each official's home to the post.",
        "Điểm: các xã, màu theo tỷ lệ vị trí đã bố trí, kích thước theo số vị trí cần "
        "(xám: không có nhu cầu). Đường: từ nơi ở của cán bộ đến nơi được biệt phái.",
    ),
    "report.longitude": ("longitude", "kinh độ"),
    "report.latitude": ("latitude", "vĩ độ"),
    "report.travel": ("Travel distance", "Quãng đường đi lại"),
    "report.travel_axis": (
        "distance from home to post (km)",
        "khoảng cách từ nơi ở đến nơi làm việc (km)",
    ),
    "report.assignments_count": ("assignments", "lượt phân công"),
    "report.agencies": (
        "Agencies: people released against floor and ceiling",
        "Cơ quan: số người đã cử so với mức tối thiểu và tối đa",
    ),
    "report.released": ("released", "đã cử"),
    "report.floor": ("floor", "tối thiểu"),
    "report.ceiling": ("ceiling", "tối đa"),
    "report.people": ("people", "người"),
    "report.assignments": ("Assignments", "Phân công"),
    "report.unmet": ("Empty posts", "Vị trí còn trống"),
    "report.search": ("Search", "Tìm kiếm"),
    "report.rows": ("rows shown", "dòng hiển thị"),
    "report.none": ("None.", "Không có."),
    "report.needs_extra": (
        "the HTML report needs jinja2 and matplotlib: pip install 'staffopt[report]'",
        "báo cáo HTML cần jinja2 và matplotlib: pip install 'staffopt[report]'",
    ),
    "cli.report_written": ("report written to {path}", "đã ghi báo cáo vào {path}"),
    # -- the text summary and the planner's workbook (report.py) ---------------------
    "report.plan_for": ("Plan for '{name}': {status}", "Phương án '{name}': {status}"),
    "report.plan_run": (
        "objective {objective}, gap {gap}, {seconds} s, engine {engine}",
        "mục tiêu {objective}, sai số {gap}, {seconds} giây, thuật toán {engine}",
    ),
    "report.slots_filled": (
        "Slots filled: {filled}/{total} ({share})",
        "Số vị trí đã bố trí: {filled}/{total} ({share})",
    ),
    "report.zone_filled": (
        "zone {zone}: {filled}/{slots} ({share})",
        "vùng {zone}: {filled}/{slots} ({share})",
    ),
    "report.critical_filled": (
        "critical needs: {filled}/{slots}",
        "nhu cầu cấp thiết: {filled}/{slots}",
    ),
    "report.officials_travel": (
        "Officials seconded: {used} of {officials}; travel {km_total} km in all, "
        "{km_mean} km on average, {on_the_spot} on the spot",
        "Cán bộ được biệt phái: {used}/{officials}; tổng quãng đường {km_total} km, "
        "trung bình {km_mean} km, {on_the_spot} tại chỗ",
    ),
    "report.unmet_slots": ("Unmet slots: {missing}", "Vị trí chưa đáp ứng: {missing}"),
    # the workbook's summary sheet: its items
    "report.item.scenario": ("Scenario", "Kịch bản"),
    "report.item.status": ("Status", "Trạng thái"),
    "report.item.objective": ("Objective", "Giá trị mục tiêu"),
    "report.item.gap": ("Gap", "Sai số"),
    "report.item.time": ("Time (s)", "Thời gian (giây)"),
    "report.item.engine": ("Engine", "Thuật toán"),
    "report.item.slots_filled": ("Slots filled", "Vị trí đã bố trí"),
    "report.item.slots_total": ("Slots in all", "Tổng số vị trí"),
    "report.item.officials_used": ("Officials seconded", "Cán bộ được biệt phái"),
    "report.item.km_total": ("Travel km in all", "Tổng quãng đường (km)"),
    "report.item.message": ("Message", "Thông báo"),
    "report.item.data_note": ("Data note", "Ghi chú"),
    "report.data_note": (
        "Scores and reasons: see the Why column and `staffopt explain`.",
        "Điểm và lý do: xem cột Lý do và lệnh `staffopt explain`.",
    ),
    # the workbook's sheets (report.SHEETS, EXTRA_SHEETS)
    "report.sheet.summary": ("Summary", "Tổng hợp"),
    "report.sheet.assignments": ("Assignments", "Phân công"),
    "report.sheet.unmet": ("Unmet", "Chưa đáp ứng"),
    "report.sheet.zones": ("Zones", "Theo vùng"),
    "report.sheet.agencies": ("Agencies", "Cơ quan"),
    "report.sheet.communes": ("Communes", "Theo xã"),
    "report.sheet.at_home": ("Officials not seconded", "Cán bộ không được biệt phái"),
    "report.sheet.diff": ("Changes", "Thay đổi"),  # a re-plan's diff (staffopt.replanning)
    # the column headers of the workbook and the HTML report's tables (report.HEADERS)
    "report.column.official_id": ("Official id", "Mã cán bộ"),
    "report.column.official": ("Official", "Cán bộ"),
    "report.column.agency": ("Agency", "Cơ quan"),
    "report.column.need_id": ("Need id", "Mã nhu cầu"),
    "report.column.commune_id": ("Commune id", "Mã xã"),
    "report.column.commune": ("Commune", "Xã/phường"),
    "report.column.zone": ("Zone", "Vùng"),
    "report.column.field": ("Field", "Lĩnh vực"),
    "report.column.distance_km": ("Distance (km)", "Khoảng cách (km)"),
    "report.column.score": ("Score", "Điểm"),
    "report.column.load": ("Load (FTE)", "Khối lượng (FTE)"),
    "report.column.cost": ("Allowances (VND)", "Phụ cấp (đồng)"),
    "report.column.why": ("Why", "Lý do"),
    "report.column.missing_slots": ("Missing", "Còn thiếu"),
    "report.column.reason": ("Reason", "Nguyên nhân"),
    "report.column.slots": ("Slots", "Số vị trí"),
    "report.column.filled": ("Filled", "Đã bố trí"),
    "report.column.coverage": ("Coverage", "Tỷ lệ"),
    "report.column.released": ("Released", "Đã cử"),
    "report.column.min_release": ("Floor", "Tối thiểu"),
    "report.column.ceiling": ("Ceiling", "Tối đa"),
    "report.column.key": ("Item", "Mục"),
    "report.column.value": ("Value", "Giá trị"),
    "report.column.explanation": ("Explanation", "Giải thích"),
    "report.column.candidates": (
        "Best candidates not free",
        "Ứng viên phù hợp nhất nhưng không còn trống",
    ),
    "report.column.fields": ("Fields", "Lĩnh vực chuyên môn"),
    "report.column.officials": ("Officials", "Số cán bộ"),
    "report.column.km_total": ("Travel km in all", "Tổng quãng đường (km)"),
    # the re-plan's diff (staffopt.replanning)
    "report.column.need_before": ("Need before", "Nhu cầu trước"),
    "report.column.need_after": ("Need after", "Nhu cầu sau"),
    "report.column.change": ("Change", "Thay đổi"),
    "report.column.by": ("Because of", "Do thay đổi của"),
    "report.column.text": ("Explanation", "Giải thích"),
    # -- progress while solving (solver/progress.py, progress_view.py) ---------------
    "progress.candidates": ("finding candidates", "đang tìm ứng viên"),
    "progress.parts": ("splitting into parts", "đang chia thành các phần độc lập"),
    "progress.bound": ("start plans and bounds", "phương án ban đầu và cận trên"),
    "progress.search": ("searching", "đang tìm kiếm"),
    "progress.done": ("done", "xong"),
    "progress.line": (
        "{stage}: parts {done}/{total}, plan {incumbent}, bound {bound}, gap {gap}, "
        "{elapsed:.1f} of {limit:g} s",
        "{stage}: phần {done}/{total}, phương án {incumbent}, cận {bound}, sai số {gap}, "
        "{elapsed:.1f}/{limit:g} giây",
    ),
    # -- the fields of a need or a skill (field_text; unknown fields show their code) -
    "field.it": ("IT and digital transformation", "Công nghệ thông tin và chuyển đổi số"),
    "field.land": ("land administration", "Đất đai"),
    "field.construction": ("construction", "Xây dựng"),
    "field.transport": ("transport and infrastructure", "Giao thông - hạ tầng"),
    "field.irrigation": ("irrigation", "Thủy lợi"),
    "field.justice": ("justice", "Tư pháp"),
    "field.agriculture": ("agriculture", "Nông nghiệp"),
    "field.environment": ("natural resources and environment", "Tài nguyên và môi trường"),
    "field.finance": ("finance and planning", "Tài chính - kế hoạch"),
    "field.trade": ("trade", "Công thương"),
    "field.culture": ("culture and society", "Văn hóa - xã hội"),
    "field.health": ("health", "Y tế"),
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
    # -- validation problems (errors.Problem, ScenarioError): place, message, expected, found --
    "problem.head_one": (
        "invalid scenario{where}: 1 problem",
        "kịch bản không hợp lệ{where}: 1 lỗi",
    ),
    "problem.head": (
        "invalid scenario{where}: {count} problems",
        "kịch bản không hợp lệ{where}: {count} lỗi",
    ),
    "problem.at_row": ("row {row}", "dòng {row}"),
    "problem.at_column": ("column '{column}'", "cột '{column}'"),
    "problem.at_id": ("id '{id}'", "mã '{id}'"),
    "problem.expected": ("; expected {expected}", "; cần {expected}"),
    "problem.found": (", found {found}", ", nhận được {found}"),
    "problem.at": ("{message} (at {where})", "{message} (tại {where})"),
    "problem.missing_value": ("missing value", "thiếu giá trị"),
    "problem.number_too_large": ("number too large", "số quá lớn"),
    "problem.out_of_range": ("out of range", "nằm ngoài phạm vi cho phép"),
    "problem.not_whole": ("not a whole number", "không phải số nguyên"),
    "problem.not_finite": ("not a finite number", "không phải số hữu hạn"),
    "problem.not_number": ("not a number", "không phải là số"),
    "problem.not_yes_no": ("not a yes/no value", "không phải giá trị có/không"),
    "problem.not_allowed": ("not an allowed value", "không phải giá trị được phép"),
    "problem.not_text": ("not text", "không phải văn bản"),
    "problem.empty_value": ("empty value", "giá trị rỗng"),
    "problem.invalid_value": ("invalid value ({kind})", "giá trị không hợp lệ ({kind})"),
    "problem.malformed_skill": ("malformed skill '{part}'", "kỹ năng sai định dạng '{part}'"),
    "problem.skills_not_text": (
        "expected text like 'it:3;land:2', found {kind}",
        "cần văn bản như 'it:3;land:2', nhận được {kind}",
    ),
    "problem.skill_level_not_whole": (
        "skill '{name}' level {level} is not a whole number",
        "trình độ {level} của kỹ năng '{name}' không phải số nguyên",
    ),
    "problem.skill_level_range": (
        "skill '{name}' level {level} out of range {low}-{high}",
        "trình độ {level} của kỹ năng '{name}' nằm ngoài phạm vi {low}-{high}",
    ),
    "problem.skill_twice": ("skill '{name}' given twice", "kỹ năng '{name}' được cho hai lần"),
    "problem.no_skill": ("no skill given", "không có kỹ năng nào"),
    "problem.home_half": (
        "home_lat and home_lon must be given together",
        "home_lat và home_lon phải được cho cùng nhau",
    ),
    "problem.no_home": (
        "needs home_commune_id or home_lat + home_lon",
        "cần home_commune_id hoặc home_lat + home_lon",
    ),
    "problem.lacks_zones": ("{name} lacks zones {zones}", "{name} thiếu các vùng {zones}"),
    "problem.lacks_keys": ("{name} lacks keys {keys}", "{name} thiếu các khóa {keys}"),
    "problem.empty_table": ("empty table: no header row", "bảng rỗng: không có dòng tiêu đề"),
    "problem.unnamed_column": (
        "column {number} has values but no name",
        "cột {number} có giá trị nhưng không có tên",
    ),
    "problem.column_twice": ("column given twice", "cột được cho hai lần"),
    "problem.unknown_column": ("unknown column '{name}'", "cột không xác định '{name}'"),
    "problem.missing_column": ("missing column", "thiếu cột"),
    "problem.extra_cells": (
        "more cells than the header has columns",
        "nhiều ô hơn số cột của dòng tiêu đề",
    ),
    "problem.duplicate_id": ("duplicate id", "mã bị trùng"),
    "problem.unknown_commune": ("unknown commune", "xã không có trong bảng communes"),
    "problem.unknown_agency": ("unknown agency", "cơ quan không có trong bảng agencies"),
    "problem.unknown_official": ("unknown official", "cán bộ không có trong bảng officials"),
    "problem.unknown_need": ("unknown need", "nhu cầu không có trong bảng needs"),
    "problem.floor_above_ceiling": ("floor above ceiling", "mức cử tối thiểu cao hơn mức tối đa"),
    "problem.ceiling_above_headcount": (
        "ceiling above headcount",
        "mức cử tối đa cao hơn tổng số người",
    ),
    "problem.pair_twice": ("pair given twice", "cặp được cho hai lần"),
    "problem.unknown_province": ("unknown province", "tỉnh không có trong bảng communes"),
    "problem.province_twice": ("province given twice", "tỉnh được cho hai lần"),
    "problem.missing_table": ("missing table", "thiếu bảng"),
    "problem.missing_file": ("missing file", "thiếu tệp"),
    "problem.missing_sheet": ("missing sheet", "thiếu trang tính"),
    "problem.not_utf8": ("file is not UTF-8 text", "tệp không phải văn bản UTF-8"),
    "problem.cannot_read_file": ("cannot read the file", "không đọc được tệp"),
    "problem.cannot_list_folder": ("cannot list the folder", "không liệt kê được thư mục"),
    "problem.malformed_csv": ("malformed CSV", "tệp CSV sai định dạng"),
    "problem.several_files": ("several files with this name", "có nhiều tệp cùng tên này"),
    "problem.several_sheets": ("several sheets with this name", "có nhiều trang tính cùng tên này"),
    "problem.not_json": ("not valid JSON", "không phải JSON hợp lệ"),
    "problem.too_deep": ("nested too deeply", "lồng nhau quá sâu"),
    "problem.duplicate_key": ("key '{key}' given twice", "khóa '{key}' được cho hai lần"),
    "problem.not_json_object": ("not a JSON object", "không phải đối tượng JSON"),
    "problem.not_object": ("not an object", "không phải đối tượng"),
    "problem.not_record_list": ("not a list of records", "không phải danh sách bản ghi"),
    "problem.not_record": ("not a record", "không phải bản ghi"),
    "problem.unknown_key": ("unknown key", "khóa không xác định"),
    "problem.unknown_key_named": ("unknown key '{key}'", "khóa không xác định '{key}'"),
    "problem.option_in_policy": (
        "a solve option, not a planning policy key",
        "đây là tùy chọn của bộ giải, không phải khóa của chính sách",
    ),
    "problem.key_without_value": ("value without a key", "giá trị không có khóa"),
    "problem.key_twice": ("key given twice", "khóa được cho hai lần"),
    "problem.name_not_text": ("name is not text", "tên không phải văn bản"),
    "problem.path_not_found": ("path not found", "không tìm thấy đường dẫn"),
    "problem.not_a_scenario": ("not a scenario", "không phải kịch bản"),
    "problem.not_a_scenario_csv": (
        "not a scenario (give the folder that holds the CSV files)",
        "không phải kịch bản (hãy chỉ thư mục chứa các tệp CSV)",
    ),
    "problem.not_workbook": ("not a readable .xlsx workbook", "không phải sổ tính .xlsx đọc được"),
    "problem.cannot_read_sheet": ("cannot read the sheet", "không đọc được trang tính"),
    "problem.formula_no_value": (
        "formula without a computed value",
        "công thức chưa có giá trị đã tính",
    ),
    "problem.cannot_read_formulas": (
        "cannot read the sheet's formulas",
        "không đọc được các công thức của trang tính",
    ),
    "problem.control_character": (
        "text with a control character cannot be stored in Excel",
        "văn bản có ký tự điều khiển không thể lưu vào Excel",
    ),
    "problem.unknown_table": ("unknown table '{name}'", "bảng không xác định '{name}'"),
    "problem.not_dataframe": ("not a DataFrame", "không phải DataFrame"),
    "problem.not_settings": ("not a {model}", "không phải {model}"),
    "problem.unknown_in_pair": (
        "unknown {what} in pair {number}",
        "{what} không xác định ở cặp thứ {number}",
    ),
    # -- validation problems of a real round (rules term, language, local_only) --
    "problem.not_date": ("not a date", "không phải ngày tháng"),
    "expected.date": (
        "an ISO date like 2025-10-20 (or an Excel date)",
        "ngày tháng dạng ISO như 2025-10-20 (hoặc ngày tháng Excel)",
    ),
    "problem.id_list_not_text": (
        "expected ids like 'c1;c2', found {kind}",
        "cần các mã như 'c1;c2', nhận được {kind}",
    ),
    "problem.languages_not_text": (
        "expected text like 'Thái;Hmông', found {kind}",
        "cần văn bản như 'Thái;Hmông', nhận được {kind}",
    ),
    "problem.language_twice": (
        "language '{name}' given twice",
        "ngôn ngữ '{name}' được cho hai lần",
    ),
    "problem.local_no_home": (
        "a local official (kind local) needs home_commune_id",
        "cán bộ tại chỗ (kind local) cần home_commune_id",
    ),
    "problem.available_until_before_from": (
        "available_until {until} is before available_from {start}",
        "available_until {until} sớm hơn available_from {start}",
    ),
    # -- what a valid value looks like (Problem.expected) --
    "expected.a_value": ("a value", "một giá trị"),
    "expected.whole": ("a whole number", "một số nguyên"),
    "expected.finite": ("a finite number", "một số hữu hạn"),
    "expected.number": ("a number", "một số"),
    "expected.yes_no": (
        "true/false, yes/no, 1/0 or có/không",
        "true/false, yes/no, 1/0 hoặc có/không",
    ),
    "expected.bound": ("{bound}", "{bound}"),
    "expected.range": ("{low} and {high}", "{low} và {high}"),
    "expected.one_of": ("one of {items}", "một trong {items}"),
    "expected.one_of_list": ("one of: {items}", "một trong: {items}"),
    "expected.text": ("text", "văn bản"),
    "expected.non_empty": ("a non-empty value", "một giá trị không rỗng"),
    "expected.skills": (
        "field:level pairs like it:3;land:2 with levels 1-3",
        "các cặp lĩnh vực:trình độ như it:3;land:2, trình độ từ 1 đến 3",
    ),
    "expected.a_skill": (
        "at least one field:level pair, like it:3;land:2",
        "ít nhất một cặp lĩnh vực:trình độ, như it:3;land:2",
    ),
    "expected.skill_pair": ("field:level like it:3", "lĩnh vực:trình độ như it:3"),
    "expected.header": (
        "a header row with columns {columns}",
        "một dòng tiêu đề với các cột {columns}",
    ),
    "expected.column_name": ("a column name in the header", "tên cột trong dòng tiêu đề"),
    "expected.each_column_once": ("each column once", "mỗi cột một lần"),
    "expected.column_named": ("a column named '{name}'", "một cột tên '{name}'"),
    "expected.at_most_cells": ("at most {count} cells", "tối đa {count} ô"),
    "expected.each_id_once": ("each id once", "mỗi mã một lần"),
    "expected.id_from": ("an id from the {table} table", "một mã có trong bảng {table}"),
    "expected.min_release": ("min_release <= {limit}", "min_release <= {limit}"),
    "expected.max_release": (
        "max_release <= headcount {limit}",
        "max_release <= tổng số người {limit}",
    ),
    "expected.each_pair_once": ("each pair once", "mỗi cặp một lần"),
    "expected.province_of_communes": (
        "a province of the communes table",
        "một tỉnh có trong bảng communes",
    ),
    "expected.each_province_once": ("each province once", "mỗi tỉnh một lần"),
    "expected.table": ("a '{table}' table", "một bảng '{table}'"),
    "expected.table_key": (
        "a key '{table}' with a list of records",
        "một khóa '{table}' chứa danh sách bản ghi",
    ),
    "expected.file_in_folder": ("a file {name} in the folder", "một tệp {name} trong thư mục"),
    "expected.one_file": ("one file", "một tệp"),
    "expected.one_sheet": ("one sheet", "một trang tính"),
    "expected.sheet_named": ("a sheet named '{name}'", "một trang tính tên '{name}'"),
    "expected.utf8": ("UTF-8 text", "văn bản UTF-8"),
    "expected.utf8_csv": (
        "UTF-8 text (in Excel: Save As 'CSV UTF-8')",
        "văn bản UTF-8 (trong Excel: Save As 'CSV UTF-8')",
    ),
    "expected.readable_file": ("a readable file", "một tệp đọc được"),
    "expected.csv": (
        "comma-separated values with balanced quotes",
        "các giá trị phân cách bằng dấu phẩy, dấu ngoặc kép đóng mở đủ cặp",
    ),
    "expected.depth": (
        "at most {depth} levels of [] or {braces} (a scenario needs 4)",
        "tối đa {depth} cấp [] hoặc {braces} (một kịch bản cần 4)",
    ),
    "expected.json_object": ("a JSON object like {example}", "một đối tượng JSON như {example}"),
    "expected.json_text": ("JSON text like {example}", "văn bản JSON như {example}"),
    "expected.json_tables": ("a JSON object of tables", "một đối tượng JSON gồm các bảng"),
    "expected.json_fields": (
        "a JSON object of {table} fields",
        "một đối tượng JSON gồm các trường của {table}",
    ),
    "expected.json_records": ("a JSON list of objects", "một danh sách JSON các đối tượng"),
    "expected.json_record": ("a JSON object", "một đối tượng JSON"),
    "expected.each_key_once": ("each key once", "mỗi khóa một lần"),
    "expected.a_key": ("a key", "một khóa"),
    "expected.option_place": (
        "'{key}' under options (options.json, an options sheet or an \"options\" key), "
        "or the staffopt solve flag",
        "'{key}' trong phần tùy chọn (options.json, trang tính options hoặc khóa \"options\"), "
        "hoặc tham số của lệnh staffopt solve",
    ),
    "expected.scenario_path": (
        "a folder of CSV files, an .xlsx workbook or a .json file",
        "một thư mục tệp CSV, một sổ tính .xlsx hoặc một tệp .json",
    ),
    "expected.workbook": ("an Excel workbook (.xlsx)", "một sổ tính Excel (.xlsx)"),
    "expected.excel_cells": ("cells Excel can hold", "các ô mà Excel chứa được"),
    "expected.formula_value": (
        "a value (type it, or open and save the workbook in Excel so each formula's result "
        "is stored)",
        "một giá trị (hãy nhập giá trị, hoặc mở và lưu sổ tính bằng Excel để lưu kết quả "
        "của từng công thức)",
    ),
    "expected.excel_formulas": ("formulas Excel can read", "các công thức Excel đọc được"),
    "expected.printable": ("printable text", "văn bản in được"),
    "expected.dataframe": ("a pandas DataFrame", "một DataFrame của pandas"),
    "expected.settings": (
        "a {model} or a mapping of its fields",
        "một {model} hoặc một ánh xạ các trường của nó",
    ),
    "expected.scenario_id": ("a {column} of the scenario", "một {column} có trong kịch bản"),
    # -- what was found, in our words (Problem.found; user data is shown as given) --
    "found.kind": ("{kind}", "kiểu {kind}"),
    "found.long_text": ("'{head}…' ({count:,} characters)", "'{head}…' ({count:,} ký tự)"),
    "found.long_value": ("{head}… ({count:,} characters)", "{head}… ({count:,} ký tự)"),
    "found.digits": ("a whole number of {digits:,} digits", "một số nguyên có {digits:,} chữ số"),
    "found.too_large": ("a {kind} too large to show", "một {kind} quá lớn để hiển thị"),
    "found.many_digits": (
        "a number of more than 4,300 digits",
        "một số có hơn 4.300 chữ số",
    ),
    "found.cells": ("{count} cells", "{count} ô"),
    "found.byte": (
        "byte 0x{byte:02x} at byte offset {offset}",
        "byte 0x{byte:02x} tại vị trí byte {offset}",
    ),
    "found.json_error": (
        "{error} (line {line}, column {column})",
        "{error} (dòng {line}, cột {column})",
    ),
    "found.depth": ("more than {depth} levels", "hơn {depth} cấp"),
    "found.key_lines": ("on lines {lines}", "ở các dòng {lines}"),
    "found.sheets": ("sheets {names}", "các trang tính {names}"),
    "found.suffix": ("a '{suffix}' file", "một tệp '{suffix}'"),
    "found.no_suffix": ("a file without suffix", "một tệp không có phần mở rộng"),
    # -- output paths that cannot be written (errors.OutputError) --
    "output.no_parent": (
        "cannot write {target}: the folder {parent} does not exist",
        "không ghi được {target}: thư mục {parent} không tồn tại",
    ),
    "output.parent_is_file": (
        "cannot write {target}: {parent} is a file, not a folder",
        "không ghi được {target}: {parent} là một tệp, không phải thư mục",
    ),
    "output.parent_read_only": (
        "cannot write {target}: no permission to write in {parent}",
        "không ghi được {target}: không có quyền ghi vào {parent}",
    ),
    "output.plan_folder_is_file": (
        "cannot write the plan folder {target}: a file of that name exists",
        "không ghi được thư mục phương án {target}: đã có một tệp cùng tên",
    ),
    "output.folder_is_file": (
        "cannot write the folder {target}: a file of that name exists",
        "không ghi được thư mục {target}: đã có một tệp cùng tên",
    ),
    "output.folder_read_only": (
        "cannot write in {target}: no permission",
        "không ghi được vào {target}: không có quyền",
    ),
    "output.file_is_folder": (
        "cannot write the file {target}: a folder of that name exists",
        "không ghi được tệp {target}: đã có một thư mục cùng tên",
    ),
    "output.file_read_only": (
        "cannot replace {target}: no permission",
        "không thay thế được {target}: không có quyền",
    ),
    "output.os_error": ("cannot write {target}: {reason}", "không ghi được {target}: {reason}"),
    # -- plans that cannot be read or explained (errors.PlanError) --
    "plan_error.no_scenario": (
        "this plan has no scenario attached; load it with "
        "staffopt.load_plan(dir, scenario=...) or call plan.attach(scenario)",
        "phương án này chưa gắn kịch bản; hãy nạp bằng "
        "staffopt.load_plan(dir, scenario=...) hoặc gọi plan.attach(scenario)",
    ),
    "plan_error.not_a_plan": (
        "not a plan folder: missing {files}",
        "không phải thư mục phương án: thiếu {files}",
    ),
    "plan_error.unreadable": (
        "cannot read plan in {path}: {reason}",
        "không đọc được phương án trong {path}: {reason}",
    ),
    "plan_error.missing_columns": (
        "malformed plan in {path}: missing columns {columns}",
        "phương án sai định dạng trong {path}: thiếu các cột {columns}",
    ),
    "plan_error.stopped_by": (
        "malformed plan in {path}: unknown stopped_by {value}",
        "phương án sai định dạng trong {path}: stopped_by không xác định {value}",
    ),
    "plan_error.ignores": (
        "malformed plan in {path}: unknown ignores {value}",
        "phương án sai định dạng trong {path}: ignores không xác định {value}",
    ),
    "plan_error.unknown_official": ("unknown official '{id}'", "không có cán bộ '{id}'"),
    "plan_error.unknown_need": ("unknown need '{id}'", "không có nhu cầu '{id}'"),
    "plan_error.unknown_commune": ("unknown commune '{id}'", "không có xã '{id}'"),
    # -- bad flags of the staffopt command (argparse style) --
    "flag.invalid": (
        "staffopt {command}: error: argument {flag}: {message}; expected {expected}, found {found}",
        "staffopt {command}: lỗi: tham số {flag}: {message}; cần {expected}, nhận được {found}",
    ),
    "flag.pair": (
        "staffopt {command}: error: argument {flag}: expected OFFICIAL=NEED, found '{found}'",
        "staffopt {command}: lỗi: tham số {flag}: cần OFFICIAL=NEED, nhận được '{found}'",
    ),
    "flag.lock_or_forbid": (
        "staffopt what-if: error: give at least one --lock or --forbid",
        "staffopt what-if: lỗi: cần ít nhất một --lock hoặc --forbid",
    ),
    "flag.error": ("error: {message}", "lỗi: {message}"),
    "flag.with_all": (
        "staffopt explain: error: {flags} only with --all",
        "staffopt explain: lỗi: {flags} chỉ dùng cùng --all",
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
    # -- goals and fairness (Policy.goals, zone_coverage_floor, commune_floor) --------
    "requirement.zone_coverage_floor": (
        "zone {id} must get at least {limit} slot(s) filled (its coverage floor)",
        "khu vực {id} phải được bố trí ít nhất {limit} vị trí (mức bao phủ tối thiểu)",
    ),
    "requirement.commune_floor": (
        "commune {id} must get at least {limit} slot(s) filled (the commune floor)",
        "xã {id} phải được bố trí ít nhất {limit} vị trí (mức tối thiểu mỗi xã)",
    ),
    "obstacle.zone_coverage_floor": ("zone coverage floors", "mức bao phủ tối thiểu theo khu vực"),
    "obstacle.commune_floor": ("commune floors", "mức tối thiểu mỗi xã"),
    # -- the catalogue of rules: fairness floors and the budget (staffopt.rules.ENTRIES) --
    "constraint.budget": ("allowance budget", "ngân sách phụ cấp"),
    "about.budget": (
        "the allowances of the chosen pairs (one-off and monthly by zone, travel and housing, "
        "for the need's term; nothing on the spot) stay within the policy's budget and each "
        "province's row of the budgets table",
        "tổng phụ cấp của các cặp được chọn (một lần và hằng tháng theo khu vực, đi lại và "
        "nhà ở, theo thời hạn của nhu cầu; tại chỗ không tính) không vượt ngân sách của chính "
        "sách và ngân sách từng tỉnh trong bảng budgets",
    ),
    "source.allowance_budget": (
        "practice: zone III allowances (attraction 70 %, one-off 10 months' base salary) and "
        "a province's own travel and housing money, within its budget",
        "thực tiễn: phụ cấp khu vực III (thu hút 70 %, trợ cấp một lần 10 tháng lương cơ sở) "
        "và tiền đi lại, nhà ở của tỉnh, trong ngân sách của tỉnh",
    ),
    "constraint.zone_coverage_floor": ("zone coverage floor", "mức bao phủ tối thiểu theo khu vực"),
    "constraint.commune_floor": ("commune floor", "mức tối thiểu mỗi xã"),
    "about.zone_coverage_floor": (
        "at least the zone_coverage_floor share of a zone's slots is filled, rounded up "
        '(e.g. {"III": 0.8}; a hard requirement)',
        "ít nhất tỷ lệ zone_coverage_floor số vị trí của một khu vực được bố trí, làm tròn "
        'lên (ví dụ {"III": 0.8}; yêu cầu cứng)',
    ),
    "about.commune_floor": (
        "every commune with needs gets at least commune_floor slots filled, clamped to its "
        "slots and to the officials eligible for it (a hard requirement)",
        "mỗi xã có nhu cầu được bố trí ít nhất commune_floor vị trí, không quá số vị trí của "
        "xã và số cán bộ đủ điều kiện cho xã (yêu cầu cứng)",
    ),
    # -- stability as a hard rule (Policy.stability = "required") --
    "requirement.stability": (
        "no blocking pair: no official and need that would both rather have each other "
        "(Policy.stability = required)",
        "không có cặp chặn: không có cán bộ và nhu cầu nào cùng muốn nhau hơn "
        "(Policy.stability = required)",
    ),
    "obstacle.stability": ("stability (no blocking pair)", "tính ổn định (không có cặp chặn)"),
    "constraint.stability": ("stability", "tính ổn định"),
    "about.stability": (
        "no blocking pair: an arc not chosen whose official would rather have it (unused, or "
        "it ranks above the official's worst post) and whose need would rather have the "
        "official (a free slot, or the official ranks above its worst holder), on the "
        "preferences of staffopt.policies.preferences (a hard requirement)",
        "không có cặp chặn: một cặp không được chọn mà cán bộ muốn hơn (chưa được cử, hoặc "
        "xếp trên vị trí kém nhất đang giữ) và nhu cầu cũng muốn cán bộ đó hơn (còn vị trí "
        "trống, hoặc cán bộ xếp trên người kém nhất đang giữ), theo thứ ưu tiên của "
        "staffopt.policies.preferences (yêu cầu cứng)",
    ),
    "term.score": ("total score", "tổng điểm"),
    "term.slots": ("slots filled", "số vị trí được bố trí"),
    "term.critical_zone_iii": (
        "critical slots filled in zone III communes",
        "vị trí trọng yếu được bố trí ở xã khu vực III",
    ),
    "term.min_commune_coverage": (
        "smallest share of a commune's slots filled",
        "tỷ lệ bố trí thấp nhất của một xã",
    ),
    "term.communes_served": (
        "communes with at least one slot filled",
        "số xã được bố trí ít nhất một người",
    ),
    "term.travel_km": ("total travel (km)", "tổng quãng đường (km)"),
    "term.officials_used": ("officials sent", "số cán bộ được cử"),
    # -- stability preferred (issue 10) --
    "term.blocking_pairs": ("blocking pairs", "số cặp chặn"),
    "cli.pareto_written": (
        "{n} non-dominated plan(s) written to {path}",
        "đã ghi {n} phương án không bị trội vào {path}",
    ),
    "cli.plot_written": ("plot written to {path}", "đã vẽ biểu đồ vào {path}"),
    # -- allocation mechanisms (staffopt.allocate) -----------------------------------
    "message.mechanism": (
        "allocated by the {mechanism} mechanism, which does not enforce: {ignores}",
        "phân bổ theo cơ chế {mechanism}, cơ chế này không bảo đảm: {ignores}",
    ),
    "cli.mechanism_verdict": (
        "checker: {kept} broken rules the mechanism keeps (must be 0), "
        "{ignored} broken requirements it ignores ({ignores})",
        "kiểm tra: {kept} vi phạm quy tắc mà cơ chế bảo đảm (phải bằng 0), "
        "{ignored} vi phạm yêu cầu mà cơ chế bỏ qua ({ignores})",
    ),
    # -- stability: blocking pairs (staffopt.stability, Plan.blocking_pairs) ---------
    "stability.pair": ("{official_side}, and {need_side}", "{official_side}, và {need_side}"),
    "stability.official_unused": (
        "{official} has no post and would take need {need}",
        "{official} chưa được phân công và sẵn sàng nhận nhu cầu {need}",
    ),
    "stability.official_prefers": (
        "{official} would rather take need {need} than their post {post}",
        "{official} muốn nhận nhu cầu {need} hơn vị trí hiện tại {post}",
    ),
    "stability.need_free": (
        "need {need} in {commune} has a free slot",
        "nhu cầu {need} tại {commune} còn chỗ trống",
    ),
    "stability.need_prefers": (
        "need {need} ranks {official} above {lower}, whom it holds",
        "nhu cầu {need} xếp {official} cao hơn {lower}, người đang được phân công",
    ),
    # -- the template workbook: sheet names, column names and meanings (io/columns.py) --
    "sheet.communes": ("Communes", "Xã"),
    "sheet.agencies": ("Agencies", "Cơ quan"),
    "sheet.officials": ("Officials", "Cán bộ"),
    "sheet.needs": ("Needs", "Nhu cầu"),
    "sheet.distances": ("Distances", "Khoảng cách"),
    "sheet.locks": ("Locks", "Chỉ định"),
    "sheet.affinity": ("Affinity", "Điểm ưu tiên"),
    "sheet.policy": ("Policy", "Chính sách"),
    "sheet.options": ("Options", "Tùy chọn"),
    "sheet.instructions": ("Instructions", "Hướng dẫn"),
    "column.communes.commune_id": ("Commune ID", "Mã xã"),
    "column_help.communes.commune_id": (
        "Unique code of the commune; needs and officials refer to it.",
        "Mã riêng của xã; bảng Nhu cầu và Cán bộ dùng mã này.",
    ),
    "column.communes.name": ("Commune name", "Tên xã"),
    "column_help.communes.name": (
        "Name of the commune, ward or special zone.",
        "Tên xã, phường hoặc đặc khu.",
    ),
    "column.communes.province": ("Province", "Tỉnh"),
    "column_help.communes.province": ("Province of the commune.", "Tỉnh của xã."),
    "column.communes.lat": ("Latitude", "Vĩ độ"),
    "column_help.communes.lat": (
        "Latitude in degrees (WGS84), e.g. 21.386.",
        "Vĩ độ theo độ (WGS84), ví dụ 21,386.",
    ),
    "column.communes.lon": ("Longitude", "Kinh độ"),
    "column_help.communes.lon": (
        "Longitude in degrees (WGS84), e.g. 103.017.",
        "Kinh độ theo độ (WGS84), ví dụ 103,017.",
    ),
    "column.communes.zone": ("Zone", "Vùng"),
    "column_help.communes.zone": (
        "Remoteness zone I, II or III (III = extremely difficult).",
        "Khu vực I, II hoặc III (III = đặc biệt khó khăn).",
    ),
    "column.communes.border": ("Border", "Biên giới"),
    "column_help.communes.border": ("On the national border.", "Xã biên giới."),
    "column.communes.staff_count": ("Staff in post", "Số cán bộ hiện có"),
    "column_help.communes.staff_count": (
        "Staff working in the commune now.",
        "Số cán bộ, công chức đang làm việc tại xã.",
    ),
    "column.communes.staff_quota": ("Staff quota", "Biên chế được giao"),
    "column_help.communes.staff_quota": (
        "Approved staffing quota.",
        "Số biên chế được giao.",
    ),
    "column.agencies.agency_id": ("Agency ID", "Mã cơ quan"),
    "column_help.agencies.agency_id": (
        "Unique code of the sending department; officials refer to it.",
        "Mã riêng của cơ quan cử đi; bảng Cán bộ dùng mã này.",
    ),
    "column.agencies.name": ("Agency name", "Tên cơ quan"),
    "column_help.agencies.name": (
        "Name of the department, as the province writes it.",
        "Tên sở, ngành như trong văn bản của tỉnh.",
    ),
    "column.agencies.headcount": ("Headcount", "Số biên chế"),
    "column_help.agencies.headcount": (
        "Staff on the agency's payroll.",
        "Số người thuộc biên chế của cơ quan.",
    ),
    "column.agencies.min_release": ("Release at least", "Cử tối thiểu"),
    "column_help.agencies.min_release": (
        "Floor: the agency sends at least this many people.",
        "Mức tối thiểu: cơ quan cử ít nhất số người này.",
    ),
    "column.agencies.max_release": ("Release at most", "Cử tối đa"),
    "column_help.agencies.max_release": (
        "Ceiling: the agency sends at most this many people (empty: its headcount).",
        "Mức tối đa: cơ quan cử nhiều nhất số người này (để trống: bằng số biên chế).",
    ),
    "column.agencies.province": ("Province", "Tỉnh"),
    "column_help.agencies.province": (
        "If given, the agency sends people only to communes of this province.",
        "Nếu có, cơ quan chỉ cử người đến các xã của tỉnh này.",
    ),
    "column.agencies.name_en": ("English name", "Tên tiếng Anh"),
    "column_help.agencies.name_en": (
        "The agency's English name, shown in English output.",
        "Tên tiếng Anh của cơ quan, dùng khi xuất kết quả bằng tiếng Anh.",
    ),
    "column.officials.official_id": ("Official ID", "Mã cán bộ"),
    "column_help.officials.official_id": (
        "Unique code of the official.",
        "Mã riêng của cán bộ.",
    ),
    "column.officials.name": ("Full name", "Họ và tên"),
    "column_help.officials.name": ("Full name of the official.", "Họ và tên của cán bộ."),
    "column.officials.agency_id": ("Agency ID", "Mã cơ quan"),
    "column_help.officials.agency_id": (
        "Code of the official's agency (sheet Agencies).",
        "Mã cơ quan của cán bộ (trang Cơ quan).",
    ),
    "column.officials.skills": ("Skills", "Chuyên môn"),
    "column_help.officials.skills": (
        "Field and level 1-3, several separated by ';', e.g. it:3;land:2.",
        "Lĩnh vực và trình độ 1-3, nhiều mục cách nhau bởi ';', ví dụ it:3;land:2.",
    ),
    "column.officials.home_commune_id": ("Home commune ID", "Mã xã nơi ở"),
    "column_help.officials.home_commune_id": (
        "Commune where the official lives or works now (give it, or the home coordinates).",
        "Xã nơi cán bộ đang sống hoặc làm việc (ghi mã xã, hoặc tọa độ nơi ở).",
    ),
    "column.officials.home_lat": ("Home latitude", "Vĩ độ nơi ở"),
    "column_help.officials.home_lat": (
        "Latitude of the home, if no home commune is given.",
        "Vĩ độ nơi ở, nếu không ghi mã xã nơi ở.",
    ),
    "column.officials.home_lon": ("Home longitude", "Kinh độ nơi ở"),
    "column_help.officials.home_lon": (
        "Longitude of the home, if no home commune is given.",
        "Kinh độ nơi ở, nếu không ghi mã xã nơi ở.",
    ),
    "column.officials.gender": ("Gender", "Giới tính"),
    "column_help.officials.gender": ("Gender (for reports only).", "Giới tính (chỉ để báo cáo)."),
    "column.officials.category": ("Category", "Loại cán bộ"),
    "column_help.officials.category": (
        "civil_servant (công chức) or public_employee (viên chức).",
        "civil_servant (công chức) hoặc public_employee (viên chức).",
    ),
    "column.officials.protected": ("Protected", "Thuộc diện bảo vệ"),
    "column_help.officials.protected": (
        "Pregnant or raising a child under 36 months: not seconded.",
        "Đang mang thai hoặc nuôi con dưới 36 tháng: không biệt phái.",
    ),
    "column.officials.volunteer": ("Volunteer", "Tình nguyện"),
    "column_help.officials.volunteer": (
        "Volunteers despite being protected.",
        "Tự nguyện đi dù thuộc diện bảo vệ.",
    ),
    "column.officials.max_km": ("Max distance (km)", "Khoảng cách tối đa (km)"),
    "column_help.officials.max_km": (
        "The official's own limit on travel distance.",
        "Giới hạn quãng đường đi lại của cá nhân cán bộ.",
    ),
    "column.officials.capacity": ("Capacity (FTE)", "Khả năng đảm nhận (FTE)"),
    "column_help.officials.capacity": (
        "Full-time equivalents the official gives (1 = full time).",
        "Số suất toàn thời gian cán bộ đảm nhận (1 = toàn thời gian).",
    ),
    "column.officials.available": ("Available", "Sẵn sàng"),
    "column_help.officials.available": (
        "The official can be seconded in this round.",
        "Cán bộ có thể được biệt phái trong đợt này.",
    ),
    "column.needs.need_id": ("Need ID", "Mã nhu cầu"),
    "column_help.needs.need_id": ("Unique code of the need.", "Mã riêng của nhu cầu."),
    "column.needs.commune_id": ("Commune ID", "Mã xã"),
    "column_help.needs.commune_id": (
        "Code of the commune that needs people (sheet Communes).",
        "Mã xã cần người (trang Xã).",
    ),
    "column.needs.field": ("Field", "Lĩnh vực"),
    "column_help.needs.field": (
        "Field code of the need (list below).",
        "Mã lĩnh vực của nhu cầu (danh sách bên dưới).",
    ),
    "column.needs.slots": ("People needed", "Số người cần"),
    "column_help.needs.slots": ("People wanted.", "Số người cần bố trí."),
    "column.needs.min_level": ("Minimum level", "Trình độ tối thiểu"),
    "column_help.needs.min_level": (
        "Lowest skill level accepted, 1-3.",
        "Trình độ chuyên môn thấp nhất được nhận, 1-3.",
    ),
    "column.needs.criticality": ("Criticality", "Mức độ cấp thiết"),
    "column_help.needs.criticality": (
        "1 low, 2 normal, 3 critical.",
        "1 thấp, 2 bình thường, 3 cấp thiết.",
    ),
    "column.needs.workload": ("Workload (FTE)", "Khối lượng công việc (FTE)"),
    "column_help.needs.workload": (
        "Full-time equivalents each person takes (1 = full time).",
        "Số suất toàn thời gian mỗi người đảm nhận (1 = toàn thời gian).",
    ),
    "column.needs.mandatory": ("Mandatory", "Bắt buộc"),
    "column_help.needs.mandatory": (
        "Every slot must be filled.",
        "Phải bố trí đủ người.",
    ),
    "column.distances.official_id": ("Official ID", "Mã cán bộ"),
    "column_help.distances.official_id": ("Code of the official.", "Mã cán bộ."),
    "column.distances.commune_id": ("Commune ID", "Mã xã"),
    "column_help.distances.commune_id": ("Code of the commune.", "Mã xã."),
    "column.distances.km": ("Road distance (km)", "Quãng đường bộ (km)"),
    "column_help.distances.km": (
        "Road distance that replaces the computed one.",
        "Quãng đường bộ thay cho khoảng cách tính tự động.",
    ),
    "column.officials.years_of_service": ("Years of service", "Số năm công tác"),
    "column_help.officials.years_of_service": (
        "Years in the civil service; orders the seniority mechanism (optional).",
        "Số năm công tác; dùng để xếp thứ tự theo thâm niên (không bắt buộc).",
    ),
    "sheet.wishes": ("Wishes", "Nguyện vọng"),
    "column.wishes.official_id": ("Official ID", "Mã cán bộ"),
    "column_help.wishes.official_id": ("Code of the official.", "Mã cán bộ."),
    "column.wishes.commune_id": ("Commune ID", "Mã xã"),
    "column_help.wishes.commune_id": (
        "Code of a commune the official would like to go to.",
        "Mã xã mà cán bộ muốn đến công tác.",
    ),
    "column.wishes.rank": ("Rank", "Thứ tự nguyện vọng"),
    "column_help.wishes.rank": (
        "1 = first choice, 2 = second ...; each (official, commune) once.",
        "1 = nguyện vọng 1, 2 = nguyện vọng 2 ...; mỗi cặp (cán bộ, xã) một lần.",
    ),
    "sheet.budgets": ("Budgets", "Ngân sách"),
    "column.budgets.province": ("Province", "Tỉnh"),
    "column_help.budgets.province": (
        "A province named in the communes table.",
        "Một tỉnh có trong bảng Xã.",
    ),
    "column.budgets.budget": ("Budget (VND)", "Ngân sách (đồng)"),
    "column_help.budgets.budget": (
        "Most the allowances of secondments to the province's communes may cost in all (VND).",
        "Tổng phụ cấp tối đa cho các trường hợp biệt phái đến các xã của tỉnh (đồng).",
    ),
    # -- fields: a scenario's own field names (the optional fields table) --
    "sheet.fields": ("Fields", "Lĩnh vực"),
    "column.fields.field": ("Field code", "Mã lĩnh vực"),
    "column_help.fields.field": (
        "A field's code as needs and skills use it (it, land ...): a field of the package "
        "glossary to rename, or a field of the province's own.",
        "Mã lĩnh vực dùng trong nhu cầu và chuyên môn (it, land ...): một lĩnh vực có sẵn cần "
        "đặt lại tên, hoặc một lĩnh vực riêng của tỉnh.",
    ),
    "column.fields.name_en": ("English name", "Tên tiếng Anh"),
    "column_help.fields.name_en": (
        "The field's name in English output; needs and skills may also give it.",
        "Tên lĩnh vực trong kết quả tiếng Anh; nhu cầu và chuyên môn cũng có thể ghi tên này.",
    ),
    "column.fields.name_vi": ("Vietnamese name", "Tên tiếng Việt"),
    "column_help.fields.name_vi": (
        "The field's name in Vietnamese output; needs and skills may also give it.",
        "Tên lĩnh vực trong kết quả tiếng Việt; nhu cầu và chuyên môn cũng có thể ghi tên này.",
    ),
    "problem.unknown_field_code": (
        "field neither in the package glossary nor used by a need or a skill",
        "lĩnh vực không có trong danh mục và không được nhu cầu hay chuyên môn nào dùng",
    ),
    "expected.field_code": (
        "a field of the glossary ({known}) or one that needs or skills use",
        "một lĩnh vực trong danh mục ({known}) hoặc được nhu cầu, chuyên môn sử dụng",
    ),
    "problem.ambiguous_field_name": (
        "field name '{name}' names several fields",
        "tên lĩnh vực '{name}' ứng với nhiều lĩnh vực",
    ),
    "message.unnamed_fields": (
        "note: no name for the fields {fields} (outputs show their codes; "
        "a fields table can name them)",
        "lưu ý: chưa có tên cho các lĩnh vực {fields} (kết quả sẽ hiện mã; "
        "có thể đặt tên trong bảng Lĩnh vực)",
    ),
    "expected.one_field": (
        "a field code, or a name of one field only: {codes}",
        "mã lĩnh vực, hoặc tên của đúng một lĩnh vực: {codes}",
    ),
    "column.locks.official_id": ("Official ID", "Mã cán bộ"),
    "column_help.locks.official_id": ("Code of the official.", "Mã cán bộ."),
    "column.locks.need_id": ("Need ID", "Mã nhu cầu"),
    "column_help.locks.need_id": ("Code of the need.", "Mã nhu cầu."),
    "column.locks.kind": ("Decision", "Quyết định"),
    "column_help.locks.kind": (
        "lock: must be assigned there; forbid: never assigned there.",
        "chỉ định (lock): bắt buộc bố trí vào đó; loại trừ (forbid): không bao giờ bố trí vào đó.",
    ),
    "column.affinity.official_id": ("Official ID", "Mã cán bộ"),
    "column_help.affinity.official_id": ("Code of the official.", "Mã cán bộ."),
    "column.affinity.need_id": ("Need ID", "Mã nhu cầu"),
    "column_help.affinity.need_id": ("Code of the need.", "Mã nhu cầu."),
    "column.affinity.score": ("Points added", "Điểm cộng"),
    "column_help.affinity.score": (
        "Points added to this pair's score (interview, language, stated wish).",
        "Điểm cộng thêm cho cặp này (phỏng vấn, ngôn ngữ, nguyện vọng).",
    ),
    "choice.officials.category.civil_servant": ("civil_servant", "công chức"),
    "choice.officials.category.public_employee": ("public_employee", "viên chức"),
    "choice.locks.kind.lock": ("lock", "chỉ định"),
    "choice.locks.kind.forbid": ("forbid", "loại trừ"),
    # -- template columns of a real round and shared support (rules term, record, ...) --
    "column.officials.kind": ("Kind of secondment", "Hình thức biệt phái"),
    "column_help.officials.kind": (
        "seconded: sent from the agency; local: on the spot, serves only the home commune.",
        "biệt phái: cử từ cơ quan; tại chỗ: chỉ hỗ trợ xã nơi mình công tác.",
    ),
    "choice.officials.kind.seconded": ("seconded", "biệt phái"),
    "choice.officials.kind.local": ("local", "tại chỗ"),
    "column.officials.years_rated_well": (
        "Years rated well",
        "Số năm hoàn thành tốt nhiệm vụ",
    ),
    "column_help.officials.years_rated_well": (
        "Consecutive years rated at least 'completed tasks well' (rule record).",
        "Số năm liên tiếp được đánh giá từ 'hoàn thành tốt nhiệm vụ' trở lên (quy tắc record).",
    ),
    "column.officials.languages": ("Languages", "Tiếng dân tộc"),
    "column_help.officials.languages": (
        "Languages spoken, separated by ';': Thái;Hmông (rule language).",
        "Các tiếng nói được, cách nhau bởi ';': Thái;Hmông (quy tắc language).",
    ),
    "column.officials.available_from": ("Available from", "Sẵn sàng từ ngày"),
    "column_help.officials.available_from": (
        "First day the official may start a secondment (rule term).",
        "Ngày đầu tiên cán bộ có thể bắt đầu biệt phái (quy tắc term).",
    ),
    "column.officials.available_until": ("Available until", "Sẵn sàng đến ngày"),
    "column_help.officials.available_until": (
        "Last day the official may serve (rule term).",
        "Ngày cuối cùng cán bộ có thể công tác (quy tắc term).",
    ),
    "column.officials.current_communes": ("Communes served now", "Xã đang biệt phái"),
    "column_help.officials.current_communes": (
        "Communes where the official already serves under a secondment, ';'-separated "
        "(e.g. c1;c2): keeping them there pays no new one-off allowance",
        "Các xã cán bộ đang được biệt phái đến, cách nhau bằng ';' (ví dụ c1;c2): "
        "tiếp tục ở lại đó thì không trả lại trợ cấp một lần",
    ),
    "column.officials.months_seconded_before": (
        "Months seconded before",
        "Số tháng đã biệt phái",
    ),
    "column_help.officials.months_seconded_before": (
        "Months already seconded; with the new term at most 36 in all (rule term).",
        "Số tháng đã biệt phái; cộng thời hạn mới không quá 36 tháng (quy tắc term).",
    ),
    "column.officials.max_communes": ("Most communes", "Số xã tối đa"),
    "column_help.officials.max_communes": (
        "Most communes this person covers (overrides the policy's max_communes).",
        "Số xã tối đa người này hỗ trợ (thay cho max_communes của chính sách).",
    ),
    "column.officials.max_km_between": (
        "Most km between communes",
        "Khoảng cách tối đa giữa các xã (km)",
    ),
    "column_help.officials.max_km_between": (
        "Largest road km between two communes this person covers (overrides the policy's).",
        "Khoảng cách đường bộ lớn nhất giữa hai xã người này hỗ trợ (thay cho của chính sách).",
    ),
    "column.needs.start": ("Start date", "Ngày bắt đầu"),
    "column_help.needs.start": (
        "First day of the secondment (default: the policy's round_start).",
        "Ngày bắt đầu biệt phái (mặc định: round_start của chính sách).",
    ),
    "column.needs.months": ("Months", "Số tháng"),
    "column_help.needs.months": (
        "Length of the secondment in months, at most 36 (default: the policy's round_months).",
        "Thời hạn biệt phái theo tháng, tối đa 36 (mặc định: round_months của chính sách).",
    ),
    "column.needs.language": ("Language needed", "Tiếng dân tộc cần"),
    "column_help.needs.language": (
        "A language the post needs (Thái, Hmông ...): rule language.",
        "Tiếng dân tộc vị trí cần (Thái, Hmông ...): quy tắc language.",
    ),
    "column.settings.key": ("Key", "Khóa"),
    "column.settings.value": ("Value", "Giá trị"),
    "template.title": (
        "How to fill in this workbook",
        "Cách điền bảng tính này",
    ),
    "template.intro": (
        "One sheet per table. Row 1 is the column name, row 2 the code staffopt reads "
        "(leave both as they are); fill from row 3. Required columns must have a value "
        "in every row; empty optional cells take their default. Yes/no columns take "
        "{yes}/{no}; decimals may use a comma or a point. Then run: staffopt validate "
        "FILE.xlsx, and staffopt solve FILE.xlsx --out plan --excel plan.xlsx --lang {lang}.",
        "Mỗi trang là một bảng. Dòng 1 là tên cột, dòng 2 là mã cột staffopt đọc (giữ "
        "nguyên cả hai); điền dữ liệu từ dòng 3. Cột bắt buộc phải có giá trị ở mọi dòng; "
        "ô tùy chọn để trống sẽ lấy giá trị mặc định. Cột có/không ghi {yes}/{no}; số "
        "thập phân dùng dấu phẩy hoặc dấu chấm. Sau đó chạy: staffopt validate FILE.xlsx, "
        "và staffopt solve FILE.xlsx --out plan --excel plan.xlsx --lang {lang}.",
    ),
    "template.sheet": ("Sheet", "Trang"),
    "template.column": ("Column", "Cột"),
    "template.code": ("Code", "Mã cột"),
    "template.required": ("Required", "Bắt buộc"),
    "template.meaning": ("Meaning", "Ý nghĩa"),
    "template.allowed": ("Allowed values", "Giá trị cho phép"),
    "template.yes": ("yes", "có"),
    "template.no": ("no", "không"),
    "template.optional_sheet": ("(optional sheet)", "(trang không bắt buộc)"),
    "template.range": ("{low} to {high}", "từ {low} đến {high}"),
    "template.fields": ("Field codes", "Mã lĩnh vực"),
    "template.policy": (
        "Sheet {sheet}: the policy (score weights, limits, rules), one key per row; "
        "empty value = default.",
        "Trang {sheet}: chính sách (trọng số điểm, giới hạn, quy tắc), mỗi dòng một khóa; "
        "để trống = mặc định.",
    ),
    "template.invalid_title": ("Value not allowed", "Giá trị không hợp lệ"),
    "problem.at_cell": ("cell {cell}", "ô {cell}"),
    "template.either_name": ("{code}' or '{label}", "{code}' hoặc '{label}"),
    "cli.template_written": ("template written to {path}", "đã ghi bảng tính mẫu vào {path}"),
    # -- re-planning with the least change (staffopt.replanning: Replan.diff) -----------
    "replan_change.kept": ("kept", "giữ nguyên"),
    "replan_change.moved": ("moved", "điều chuyển"),
    "replan_change.added": ("added", "bổ sung"),
    "replan_change.dropped": ("dropped", "thôi cử"),
    "replan_reason.kept": (
        "{official} stays on need {need}",
        "{official} tiếp tục đảm nhận nhu cầu {need}",
    ),
    "replan_reason.official_left": (
        "{official} is no longer in the scenario (left)",
        "{official} không còn trong kịch bản (đã nghỉ/chuyển đi)",
    ),
    "replan_reason.official_unavailable": (
        "{official} is now unavailable",
        "{official} hiện không thể tham gia",
    ),
    "replan_reason.need_removed": (
        "need {need} was removed",
        "nhu cầu {need} đã bị bỏ",
    ),
    "replan_reason.need_shrank": (
        "need {need} now wants fewer people ({slots})",
        "nhu cầu {need} nay cần ít người hơn ({slots})",
    ),
    "replan_reason.rule_excludes": (
        "a rule now excludes {official} from need {need}: {rule}",
        "một quy tắc nay loại {official} khỏi nhu cầu {need}: {rule}",
    ),
    "replan_reason.freed_by": (
        "freed by a change of {by} (a chain of moves)",
        "do thay đổi của {by} (chuỗi điều chuyển)",
    ),
    "replan_reason.trade_off": (
        "{official} could have stayed; the new plan's goals chose otherwise",
        "{official} có thể ở lại; các mục tiêu của phương án mới chọn cách khác",
    ),
    "replan_reason.new_place": (
        "{official} takes need {need}, a place the previous plan left empty or a new need",
        "{official} nhận nhu cầu {need}, vị trí còn trống trong phương án trước hoặc nhu cầu mới",
    ),
    # -- the next round (issue 13, part 5) --
    "replan_reason.extended": (
        "{official} is extended on need {need} for the next round",
        "{official} được gia hạn biệt phái tại nhu cầu {need} trong đợt tiếp theo",
    ),
    "replan_reason.term_limit": (
        "{official} returns home: 36-month limit ({rule})",
        "{official} trở về cơ quan: giới hạn 36 tháng ({rule})",
    ),
    "replan.no_field": ("no matching skill", "không có chuyên môn phù hợp"),
    "replan.summary": (
        "Re-plan: {kept} of {previous} previous assignments kept, {moved} moved, "
        "{added} added, {dropped} dropped; score {old} -> {new}",
        "Lập lại phương án: giữ {kept}/{previous} phân công trước, {moved} điều chuyển, "
        "{added} bổ sung, {dropped} thôi cử; điểm {old} -> {new}",
    ),
    "replan.bonus": (
        "keep bonus: {bonus} points ({points} per kept assignment), not in the score",
        "điểm thưởng giữ nguyên: {bonus} điểm ({points} mỗi phân công giữ nguyên), "
        "không tính vào tổng điểm",
    ),
    "replan.header": (
        "official | before | after | change | reason",
        "cán bộ | trước | sau | thay đổi | lý do",
    ),
    "problem.replan_keep": (
        "keep must be 'first' or a whole number of points",
        "keep phải là 'first' hoặc một số điểm nguyên",
    ),
    "expected.replan_keep": (
        "'first' or a whole number from 0 to {limit}",
        "'first' hoặc số nguyên từ 0 đến {limit}",
    ),
    # -- bench: experiment specs --
    "problem.spec_head": (
        "invalid experiment spec{where}: {count} problem(s)",
        "tệp đặc tả thí nghiệm không hợp lệ{where}: {count} lỗi",
    ),
    "problem.spec_key": ("key '{key}'", "khóa '{key}'"),
    "problem.spec_not_toml": ("not valid TOML", "không phải TOML hợp lệ"),
    "problem.spec_unknown_key": ("unknown key", "khóa không xác định"),
    "problem.spec_missing_list": ("missing or empty list", "thiếu danh sách hoặc danh sách rỗng"),
    "problem.spec_not_whole_list": (
        "not a list of whole numbers",
        "không phải danh sách số nguyên",
    ),
    "problem.spec_unknown_mechanism": ("unknown mechanism", "cơ chế phân bổ không xác định"),
    "problem.spec_missing_scenarios": (
        "the scenarios are not named",
        "chưa nêu các kịch bản",
    ),
    "problem.spec_unknown_policy_field": (
        "unknown policy field",
        "trường chính sách không xác định",
    ),
    "problem.spec_bad_policy_value": (
        "not a valid value of the policy field",
        "không phải giá trị hợp lệ của trường chính sách",
    ),
    "flag.bench_jobs": (
        "argument --jobs: expected a whole number >= 1, found {found}",
        "tham số --jobs: cần một số nguyên >= 1, nhận được {found}",
    ),
    "cli.bench_written": (
        "wrote {rows} rows ({computed} computed now) to {path}",
        "đã ghi {rows} dòng ({computed} dòng vừa tính) vào {path}",
    ),
    "cli.bench_report_written": ("wrote the report {path}", "đã ghi báo cáo {path}"),
    "cli.bench_interrupted": (
        "interrupted: finished rows are kept in {path}; run the same command to resume",
        "đã dừng: các dòng đã xong được giữ trong {path}; chạy lại lệnh để tiếp tục",
    ),
    "report.bench_title": ("Comparison of allocation mechanisms", "So sánh các cơ chế phân bổ"),
    "report.bench_intro": (
        "Means across scenarios with 95 % confidence intervals (rows / checker violations)",
        "Giá trị trung bình qua các kịch bản, khoảng tin cậy 95 % (số dòng / số vi phạm)",
    ),
    "report.bench_summary": ("Summary", "Tổng hợp"),
    "report.bench_coverage_zone": (
        "Coverage by zone per mechanism",
        "Tỷ lệ bố trí theo vùng của từng cơ chế",
    ),
    "report.bench_km": ("Mean distance per plan", "Khoảng cách trung bình của mỗi phương án"),
    "report.bench_pareto": (
        "Pareto front: zone III coverage against mean distance",
        "Biên Pareto: tỷ lệ bố trí vùng III so với khoảng cách trung bình",
    ),
    "report.bench_price": ("The price of each rule", "Cái giá của từng quy định"),
    "report.bench_price_note": (
        "optimal with the value minus optimal with the first value listed, on the same scenarios",
        "phương án tối ưu với giá trị này trừ phương án tối ưu với giá trị đầu tiên, "
        "trên cùng các kịch bản",
    ),
    "report.bench_coverage_pct": ("slots filled (%)", "vị trí đã bố trí (%)"),
    "report.bench_zone": ("zone", "vùng"),
    "report.bench_km_mean": ("mean km", "km trung bình"),
    "report.bench_zone_iii_pct": ("zone III slots filled (%)", "vị trí vùng III đã bố trí (%)"),
    "report.bench_price_score": ("change of score", "thay đổi của điểm"),
    "expected.toml": ("TOML text", "văn bản TOML"),
    "expected.whole_list": (
        "a non-empty list of whole numbers >= 0",
        "một danh sách không rỗng các số nguyên >= 0",
    ),
    "expected.positive_seconds": ("a number of seconds > 0", "một số giây > 0"),
    "expected.scenarios": (
        "a [scenarios] table with either scale (and seeds) or paths",
        "một bảng [scenarios] có scale (và seeds) hoặc paths",
    ),
    "expected.scenario_paths": (
        "a list of existing scenario folders or files",
        "một danh sách các thư mục hoặc tệp kịch bản có thật",
    ),
    "expected.grid": (
        "a [grid] table of policy fields, each with a non-empty list of values",
        "một bảng [grid] gồm các trường chính sách, mỗi trường một danh sách giá trị không rỗng",
    ),
    "expected.policy_field": (
        "a field of the Policy (dotted for a zone: zone_points.III)",
        "một trường của Policy (có dấu chấm cho vùng: zone_points.III)",
    ),
    "expected.policy_value": (
        'a value the policy field {field} accepts ("none" for no value)',
        'một giá trị trường chính sách {field} chấp nhận ("none" nếu không có giá trị)',
    ),
}


class Phrase(str):
    """A catalogue text that remembers its key and values: English as a ``str``, any
    language with :meth:`text`.

    Values that are Phrases themselves are worded in the same language; other
    values (ids, file names, a user's cell) are shown as given.
    """

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, /, **params: Any) -> Phrase:
        self = super().__new__(cls, _fill(key, "en", params))
        self.key = key
        self.params = params
        return self

    def text(self, lang: str = "en") -> str:
        """The phrase in ``lang`` (``"en"`` or ``"vi"``)."""
        return _fill(self.key, lang, self.params)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled (multiprocessing, dask) as key and values, not as plain text.
        return (_phrase_from, (self.key, self.params))


def _phrase_from(key: str, params: dict[str, Any]) -> Phrase:
    return Phrase(key, **params)


def _fill(key: str, lang: str, params: dict[str, Any]) -> str:
    values = {k: v.text(lang) if isinstance(v, Phrase) else v for k, v in params.items()}
    return text(key, lang, **values)


def say(value: str | None, lang: str = "en") -> str | None:
    """``value`` in ``lang`` if it is a :class:`Phrase`, else as given (user data)."""
    return value.text(lang) if isinstance(value, Phrase) else value


def as_lang(lang: str) -> Lang:
    """``lang`` checked: ``"en"`` or ``"vi"``."""
    if lang not in LANGS:
        raise ValueError(f"lang must be 'en' or 'vi', not {lang!r}")
    return "vi" if lang == "vi" else "en"


def text(key: str, lang: str = "en", /, **values: Any) -> str:
    """The catalogue's text for ``key`` in ``lang``, its ``{fields}`` filled from ``values``."""
    en, vi = CATALOGUE[key]
    template = vi if lang == "vi" else en
    return template.format(**values) if values else template


def pick(lang: str, en: str, vi: str) -> str:
    """One of two sentences built in place (explanations with many values), by language."""
    return vi if lang == "vi" else en


def field_text(
    code: str, lang: str = "en", names: Mapping[str, tuple[str, str]] | None = None
) -> str:
    """A field's name in ``lang``: a scenario's own ``names`` (code -> (en, vi), its
    ``fields`` table) first, then the package glossary (``field.<code>``); else the code."""
    own = names.get(code.lower()) if names else None
    if own is not None:
        return own[1] if lang == "vi" else own[0]
    key = f"field.{code.lower()}"
    return text(key, lang) if key in CATALOGUE else code


def glossary_fields() -> dict[str, tuple[str, str]]:
    """The package glossary: every field code with its (English, Vietnamese) name."""
    return {k.removeprefix("field."): v for k, v in CATALOGUE.items() if k.startswith("field.")}


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
