"""The built-in Yongzhou framework against the printed annex of the seed document."""

from __future__ import annotations

import re
from decimal import Decimal

from qualitycity.frameworks.models import Criterion, UnitRole

D = Decimal
GROUP = "质量强市工作领导小组成员单位"
CIQ = "湖南出入境检验检疫局永州办事处"
RANK = [("前列", 30), ("中游", 15), ("其余", 5)]
DIMENSIONS = {
    1: "城市质量发展战略规划明确清晰",
    2: "城市质量文化特色鲜明",
    3: "城市质量基础保障有力",
    4: "城市质量工作组织坚强有力",
    5: "质量宏观管理成效明显",
    6: "产品质量显著提升",
    7: "工程质量大幅提高",
    8: "服务质量满意度不断提高",
    9: "质量发展成果全民共享",
    10: "质量发展实现制度创新、方法创新和机制创新",
}
CHINESE_NUMBERS = "一二三四五六七八九十"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def annex(seed_text: str) -> str:
    start = seed_text.index("序号 指标项 指标内容")
    return seed_text[start : seed_text.index("相关链接", start)]


def printed_items(seed_text: str) -> dict[str, tuple[str, int]]:
    """Item code → (title, points) as printed: "1.1 制定并出台质量发展实施意见(20分)"."""
    found: dict[str, tuple[str, int]] = {}
    pattern = re.compile(r"(?:^|(?<=\s))(\d{1,2}\.\d)\s*([^\s((]+?)[((](\d+)分[))]", re.M)
    for code, title, points in pattern.findall(annex(seed_text)):
        found.setdefault(code, (title, int(points)))
    return found


def printed_rows(seed_text: str) -> dict[str, list[str]]:
    """Printed row number → the text of each printed row with that number, whitespace normalised."""
    parts = re.split(r"(?m)^(\d{1,3})(?=\s)", annex(seed_text))
    rows: dict[str, list[str]] = {}
    for number, body in zip(parts[1::2], parts[2::2], strict=True):
        rows.setdefault(number, []).append(norm(body))
    return rows


def lead(c: Criterion) -> list[str]:
    return [u.printed_name for u in c.units.filter(role=UnitRole.LEAD).order_by("position")]


def cooperating(c: Criterion) -> list[str]:
    return [u.printed_name for u in c.units.filter(role=UnitRole.COOPERATING).order_by("position")]


# --- counts ----------------------------------------------------------------------------------


def test_it_has_10_dimensions_50_items_and_125_rows(yongzhou):
    assert yongzhou.dimensions.count() == 10
    assert yongzhou.items.count() == 50
    assert yongzhou.criteria.count() == 125


def test_rows_are_printed_1_to_124_with_48_twice(yongzhou, seed_text):
    rows = sorted(int(r) for r in yongzhou.criteria.values_list("row", flat=True))
    assert rows == sorted([*range(1, 125), 48])
    printed = printed_rows(seed_text)
    assert sorted(int(r) for r in printed) == list(range(1, 125))
    assert len(printed["48"]) == 2
    assert sum(len(v) for v in printed.values()) == 125


def test_dimension_titles_are_as_printed(yongzhou, seed_text):
    stored = dict(yongzhou.dimensions.values_list("number", "title"))
    assert stored == DIMENSIONS
    for number, title in DIMENSIONS.items():
        prefix = CHINESE_NUMBERS[number - 1]
        assert f"{prefix}、{title}" in seed_text


def test_every_item_maximum_and_title_is_as_printed(yongzhou, seed_text):
    printed = printed_items(seed_text)
    assert len(printed) == 50
    stored = {i.code: i for i in yongzhou.items.all()}
    assert list(printed) == [i.code for i in yongzhou.items.order_by("position")]
    for code, (title, points) in printed.items():
        assert stored[code].max_points == D(points), code
        assert stored[code].title == title, code
    assert sum(points for _title, points in printed.values()) == 1055
    assert sum(i.max_points for i in stored.values()) == D(1055)


def test_items_are_numbered_within_their_dimension(yongzhou):
    for item in yongzhou.items.select_related("dimension"):
        assert item.code.split(".")[0] == str(item.dimension.number)


# --- every row -------------------------------------------------------------------------------


def test_every_criterion_text_appears_verbatim_in_the_seed(yongzhou, seed_text):
    seed = norm(seed_text)
    missing = [c.key for c in yongzhou.criteria.all() if norm(c.text) not in seed]
    assert missing == []


def test_every_row_lists_the_units_printed_after_its_text(yongzhou, seed_text):
    printed = printed_rows(seed_text)
    for c in yongzhou.criteria.order_by("position"):
        text = norm(c.text)
        [body] = [b for b in printed[c.row] if text in b]
        after = body[body.index(text) + len(text) :]
        names = [n for n in re.split(r"[\s、]+", after) if n]
        assert names == lead(c) + cooperating(c), c.row


def test_only_row_44_allows_not_applicable(yongzhou):
    allowed = list(yongzhou.criteria.filter(na_allowed=True).values_list("row", "na_condition"))
    assert allowed == [("44", "无口岸的城市")]


def test_stated_points_match_the_points_printed_at_the_end_of_the_text(yongzhou):
    for c in yongzhou.criteria.all():
        stated = re.findall(r"[((](\d+)分[))]?", c.text)
        if c.row == "70":
            assert stated == ["30"]
        if stated:
            assert c.points == D(stated[-1]), c.row
        else:
            assert c.points is None, c.row


# --- sample rows by hand ---------------------------------------------------------------------

SAMPLE = {
    ("1.1", "1"): {
        "text": "1.结合本市(区)实际情况制定并已经出台质量发展规划及其具体工作措施(10分)",
        "points": 10,
        "max": 10,
        "lead": ["市创质办"],
        "coop": [GROUP],
        "rule": "binary",
    },
    ("1.3", "6"): {
        "text": "1.城市政府明确每年对贯彻落实国务院《质量发展纲要2011-2020年》、本市质量发展规划或创建质量强市工作提供专项经费,并且经费数额占年财政一般预算收入比例达到1‰的得30分;达到0.6‰的得20分;达到0.3‰的得10分;尚未对上述质量工作有专项经费保障的得0分(30分)",
        "points": 30,
        "max": 30,
        "lead": ["市财政局"],
        "coop": [GROUP],
        "rule": "threshold",
        "bounds": [("1", 30), ("0.6", 20), ("0.3", 10)],
        "otherwise": 0,
    },
    ("2.1", "7"): {
        "text": "1.经向社会广泛征集,城市政府专门研究确定,形成符合城市特点的质量精神的得15分;城市质量精神特色不明显,质量元素不突出的得5分;尚未形成城市质量精神口号的得0分(15分)",
        "points": 15,
        "max": 15,
        "lead": ["市委宣传部", "市创质办"],
        "coop": ["市文体广新局", "永州电视台", "永州日报社", "永州新闻网"],
        "rule": "tiers",
        "tiers": [15, 5, 0],
    },
    ("2.5", "19"): {
        "text": "1.每年定期开展质量论坛、质量知识竞赛、质量志愿者等公益性质量文化活动,并在城市主流媒体上宣传推广,引导广大市民积极参与的得20分;每年定期开展公益性质量文化活动,但宣传不充分的得10分;每年不开展公益性质量文化活动的得0分。(10分)",
        "points": 10,
        "max": 20,
        "lead": ["市委宣传部", "市创质办"],
        "coop": [GROUP, "永州电视台", "永州日报社", "永州新闻网"],
        "rule": "tiers",
        "tiers": [20, 10, 0],
    },
    ("3.1", "24"): {
        "text": "1.建立与永州支柱产业相适应的国家级检测中心、计量、标准、认证等公共技术服务平台(10分)",
        "points": 10,
        "max": 10,
        "lead": ["市质监局"],
        "coop": ["市发改委", "市经信委"],
        "rule": "manual",
    },
    ("3.2", "27"): {
        "text": "2. 农业标准化生产普及率达到30%以上 3. 全面完成创“国家出口食品农产品质量安全示范市”(5分)",
        "points": 5,
        "max": 5,
        "lead": ["市农委"],
        "coop": ["市林业局", "市商务粮食局", "市畜牧水产局", "市质监局"],
        "rule": "manual",
    },
    ("3.6", "43"): {
        "text": "1.建立出入境农产品质量安全监管体系(4分)",
        "points": 4,
        "max": 4,
        "lead": [CIQ, "市农委"],
        "coop": ["市农委", "市畜牧水产局", "市食药局"],
        "rule": "binary",
    },
    ("3.6", "44"): {
        "text": "2. 有口岸的城市,至少1个口岸被评为“世界卫生组织口岸核心能力达标单位”,无口岸的城市,此项为合理缺项(4分)",
        "points": 4,
        "max": 4,
        "lead": [CIQ],
        "coop": [],
        "rule": "count",
        "at_least": 1,
    },
    ("4.1", "48"): {
        "text": "1.成立了专门的质量强市工作领导机构,机构由市长负责,且定期召集和出席会议的得20分;成立专门的质量强市工作领导机构,机构由副市长负责的得15分;成立专门的质量强市工作领导机构,负责人不是市领导得10分;未成立专门质量强市工作领导机构得0分。",
        "points": None,
        "max": 20,
        "lead": ["市创质办"],
        "coop": [GROUP],
        "rule": "tiers",
        "tiers": [20, 15, 10, 0],
    },
    ("4.2", "48"): {
        "text": "1.市政府专门组织召开争创“全国质量强市示范城市”动员部署大会的得20分;制定并下发文件对创建“全国质量强市示范城市”做出动员部署的得10分;未对创建“全国质量强市示范城市”做出动员部署的得0分。",
        "points": None,
        "max": 20,
        "lead": ["市创质办"],
        "coop": [GROUP],
        "rule": "tiers",
        "tiers": [20, 10, 0],
    },
    ("4.7", "60"): {
        "text": "1.在城市大型商场中建立质量责任首负承诺制度,并已实施一年以上的得10分;正在着手研究或者探索在城市大型商场中建立质量责任首负承诺制度的得5分;尚未研究或探索质量责任首负承诺制度的得0分。",
        "points": None,
        "max": 10,
        "lead": ["市商务粮食局"],
        "coop": ["市质监局", "市工商局"],
        "rule": "tiers",
        "tiers": [10, 5, 0],
    },
    ("5.1", "64"): {
        "text": "1.制定并出台品牌培育、品牌激励和品牌发展等政策措施(5分)",
        "points": 5,
        "max": 5,
        "lead": ["市发改委"],
        "coop": [
            "市政府办",
            "市科技局",
            "市住建局",
            "市农委",
            "市商务粮食局",
            "市工商局",
            "市质监局",
            "市旅游外事侨务局",
            "市财政局",
        ],
        "rule": "binary",
    },
    ("5.2", "70"): {
        "text": "1.组织本市企业申报“中国质量奖”和省、市级政府质量奖励,获奖企业数量居全国同级城市前列(30分);获奖企业数量居全国同级城市中游的得15分;其余得5分。",
        "points": 30,
        "max": 30,
        "lead": ["市质监局"],
        "coop": ["各县区政府"],
        "rule": "rank",
        "bands": RANK,
    },
    ("5.3", "71"): {
        "text": "1.积极组织我市各类园区申报“全国知名品牌创建示范区”,并且获得“全国知名品牌创建示范区”命名并授牌的数量居全国同级城市前列的得30分;居全国同级城市中游的得15分;其余得5分。",
        "points": None,
        "max": 30,
        "lead": ["市发改委", "市质监局"],
        "coop": ["各县区政府", "各园区管委会"],
        "rule": "rank",
        "bands": RANK,
    },
    ("6.1", "74"): {
        "text": "1.生产企业产品质量监督合格率达到94%以上(10分)",
        "points": 10,
        "max": 10,
        "lead": ["市创质办"],
        "coop": ["市质监局", "市食药局", "市林业局", "市商务粮食局", "市农委", "市畜牧水产局"],
        "rule": "indicator",
    },
    ("6.3", "81"): {
        "text": "1.进口商品法检检出率连续3年居全国城市前10位(8分)",
        "points": 8,
        "max": 8,
        "lead": [CIQ],
        "coop": [],
        "rule": "indicator",
    },
    ("7.1", "87"): {
        "text": "1.城市政府出台强化工程建设全过程质量监管的政策措施,并不断强化对工程监理的监管(5分)",
        "points": 5,
        "max": 5,
        "lead": ["市住建局"],
        "coop": ["市水利局", "市交通局", "市房产局", "市安监局"],
        "rule": "manual",
    },
    ("7.6", "99"): {
        "text": "1.政府推进采纳国家标准《住宅性能评定技术标准》,在相关文件中体现提升住宅居住性能要求的得20分;政府提出提升房屋住宅居住性能要求,但未推进采纳国家标准得10分;政府未对房屋居住性能提出要求且未开展推广标准的得0分。",
        "points": None,
        "max": 20,
        "lead": ["市住建局", "市房产局"],
        "coop": ["各县区政府"],
        "rule": "tiers",
        "tiers": [20, 10, 0],
    },
    ("8.1", "100"): {
        "text": "1.城市已建成有1个以上国家级服务业标准化试点的得20分;未建成但处于申报流程的得10分;未参与建设工作的得0分。",
        "points": None,
        "max": 20,
        "lead": ["市政务服务中心"],
        "coop": ["市质监局"],
        "rule": "tiers",
        "tiers": [20, 10, 0],
    },
    ("8.5", "107"): {
        "text": "1.城市旅游区、现代服务区中获得“全国知名品牌示范区”称号1个以上 2.全市8个县区成功创建“国家全域旅游示范县区”(5分)",
        "points": 5,
        "max": 5,
        "lead": ["市发改委", "市旅游外事侨务局"],
        "coop": ["市商务粮食局", "市质监局", "市经信委", "市工商局"],
        "rule": "manual",
    },
    ("9.1", "112"): {
        "text": "1.建立和完善质量投诉信息平台,充分发挥12365市民热线的作用,确保热线畅通有效,公众对质量投诉信息平台认知度高的得25分;建立了质量投诉信心平台,且质量投诉热线畅通有效得15分;质量投诉热线不畅通的得5分;未建立质量投诉信息平台的得0分。",
        "points": None,
        "max": 25,
        "lead": ["市创质办"],
        "coop": [GROUP],
        "rule": "tiers",
        "tiers": [25, 15, 5, 0],
    },
    ("9.2", "113"): {
        "text": "1.建立完善社会质量监督员制度和消费维权渠道,质量监督员职责明确,对质量纠纷问题处理及时有效的得25分;建立社会质量监督员制度和消费维权渠道,质量监督员职责不够明确,对部分质量纠纷问题处理不够及时的得15分;未建立社会质量监督员制度的得0分。",
        "points": None,
        "max": 25,
        "lead": ["市质监局", "市工商局", "市食药局"],
        "coop": [GROUP],
        "rule": "tiers",
        "tiers": [25, 15, 0],
    },
    ("10.1", "119"): {
        "text": "1.质量工作在制度、方法或机制上具有创新,开发并实施一批全员质量素质提升研修项目,并在宣传质量成果、普及质量知识、加强质量教育、推广质量文化等方面取得很好效果(10分)",
        "points": 10,
        "max": 10,
        "lead": ["市创质办"],
        "coop": [GROUP],
        "rule": "manual",
    },
    ("10.3", "124"): {
        "text": "2.质量工作在制度、方法或机制上的创新在全国具有示范引领作用,在全国具有推广价值(10分",
        "points": 10,
        "max": 10,
        "lead": ["市创质办"],
        "coop": [GROUP],
        "rule": "manual",
    },
}


def test_the_sample_covers_every_dimension_twice():
    per_dimension: dict[str, int] = {}
    for code, _row in SAMPLE:
        per_dimension[code.split(".")[0]] = per_dimension.get(code.split(".")[0], 0) + 1
    assert len(per_dimension) == 10
    assert min(per_dimension.values()) >= 2


def test_sample_rows_are_transcribed_as_printed(yongzhou, seed_text, subtests):
    for (item, row), expected in SAMPLE.items():
        with subtests.test(item=item, row=row):
            check_sample_row(yongzhou, seed_text, item, row, expected)


def check_sample_row(yongzhou, seed_text, item, row, expected):
    c = Criterion.objects.get(framework=yongzhou, item__code=item, row=row)
    assert c.row == row
    assert c.item.code == item
    assert c.text == expected["text"]
    assert norm(expected["text"]) in norm(seed_text)
    assert c.points == (None if expected["points"] is None else D(expected["points"]))
    assert c.max_points == D(expected["max"])
    assert lead(c) == expected["lead"]
    assert cooperating(c) == expected["coop"]
    rule = c.parsed_rule()
    assert rule.type == expected["rule"]
    if "tiers" in expected:
        assert [t.points for t in rule.tiers] == [D(p) for p in expected["tiers"]]
    if "bands" in expected:
        assert [(b.band, b.points) for b in rule.bands] == [(n, D(p)) for n, p in expected["bands"]]
    if "bounds" in expected:
        assert [(b.min, b.points) for b in rule.bounds] == [
            (D(m), D(p)) for m, p in expected["bounds"]
        ]
        assert rule.otherwise == D(expected["otherwise"])
        assert rule.unit == "‰"
    if "at_least" in expected:
        assert rule.at_least == expected["at_least"]
    assert c.na_allowed is (row == "44")


# --- rows whose printed rule combines conditions (且 / 均 / 或) --------------------------------

COMBINED = {
    # row: (type, [(condition, its rule type, indicator code or None)])
    "82": (
        "all",
        [
            ("当年出口商品未发生出口商品遭境外通报或退运", "binary", None),
            (
                "3年内本城市生产的出口商品遭境外通报比率(通报次数/出口批次)低于全国平均水平",
                "indicator",
                "EXPORT_NOTIFICATION_RATE",
            ),
        ],
    ),
    "91": (
        "all",
        [
            ("城市节能建筑的比重连续3年不断提高", "indicator", "ENERGY_SAVING_BUILDING_SHARE"),
            ("工业化建造比重连续3年不断提高", "indicator", "INDUSTRIALIZED_CONSTRUCTION_SHARE"),
        ],
    ),
    "110": (
        "any",
        [
            ("消费者对城市服务业满意度连续3年不断提高", "indicator", "SERVICE_SATISFACTION_TREND"),
            ("消费者投诉率连续3年不断递减", "binary", None),
        ],
    ),
    "111": (
        "any",
        [
            ("城市服务业顾客满意度居全国同级城市前列", "binary", None),
            ("消费者投诉率低于全国平均水平", "binary", None),
        ],
    ),
}


def test_rows_82_91_110_111_keep_both_halves_of_their_printed_rule(yongzhou, seed_text):
    for row, (kind, expected) in COMBINED.items():
        c = Criterion.objects.get(framework=yongzhou, row=row)
        rule = c.parsed_rule()
        assert rule.type == kind, row
        got = [
            (cond.label, cond.rule.type, getattr(cond.rule, "indicator", None))
            for cond in rule.conditions
        ]
        assert got == expected, row
        assert all(cond.points is None for cond in rule.conditions)  # none printed
        printed = norm(" ".join(printed_rows(seed_text)[row]))
        joiner = {"all": ("且", "均"), "any": ("或",)}[kind]
        assert any(j in c.text for j in joiner), row
        for label, _type, _code in expected:
            # every condition is a phrase of the printed text (a shared "连续3年不断提高" aside)
            assert label.removesuffix("连续3年不断提高") in printed, label
        assert c.note and ("同时满足" in c.note or "均" in c.note or "满足其一" in c.note)
