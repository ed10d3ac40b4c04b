"""Generator of realistic activities with known overlaps (benchmark of khoi.lib.overlap).

Every activity carries a hidden topic (``_topic``, ignored by the engine). The ground
truth is the rule of the issue applied to the hidden topic: two activities overlap when
their organizations differ, their units are shared or contained, their dates are within
the window and they have the same family and the same hidden topic.

The data mimics what joint offices type:

- a unit tree province → district → commune → hamlet (``units`` use the codes);
- organizations (Mặt trận, Hội LHPN, Đoàn TN, Hội ND, Hội CCB, Công đoàn, Hội NCT) at
  district and commune level, each acting on its own area;
- titles and descriptions built from a catalogue of topics with several phrasings each,
  kind verbs, boilerplate ("Kế hoạch số 12/KH-MTTQ về việc…", "Tổ chức", "năm 2024"),
  audiences, place names; then noise: abbreviations (MTTQ, SXH, ATGT, NTM, KDC…), both
  tone placements (hoà/hòa), diacritics dropped, upper case, reordered topic parts;
- planted overlap groups (2–4 activities of different organizations, shared or
  contained units, close dates, kinds of one family, different phrasings);
- hard negatives: pairs that meet every condition but exactly one (same organization,
  sibling units, dates 15–40 days apart, other family, a lexically close other topic);
- background activities on random topics, units and dates.

Usage: ``python bench/overlap/generate.py --size 10000 --seed 42 --out FILE.jsonl
--parents FILE.json``.
"""

from __future__ import annotations

# ruff: noqa: E501  (the topic catalogue is data, one topic a line)
import argparse
import json
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

KINDS = {
    "outreach": ["propaganda", "mobilisation", "training"],
    "checking": ["inspection", "supervision", "survey"],
    "emulation": ["emulation"],
    "support": ["support"],
    "other": ["other"],
}
FAMILY_OF = {k: f for f, ks in KINDS.items() for k in ks}
FAMILY_WEIGHTS = {"outreach": 5, "checking": 3, "emulation": 1, "support": 2, "other": 1}

VERBS = {
    "propaganda": ["Tuyên truyền", "Tổ chức tuyên truyền", "Đẩy mạnh tuyên truyền",
                   "Tuyên truyền, phổ biến", "Tuyên truyền về"],
    "mobilisation": ["Vận động", "Vận động nhân dân tham gia", "Ra quân", "Phát động"],
    "training": ["Tập huấn", "Bồi dưỡng kiến thức về", "Hội nghị tập huấn",
                 "Tập huấn nghiệp vụ"],
    "inspection": ["Kiểm tra", "Kiểm tra việc thực hiện", "Kiểm tra công tác"],
    "supervision": ["Giám sát", "Giám sát việc thực hiện", "Giám sát chuyên đề về"],
    "survey": ["Khảo sát", "Khảo sát tình hình", "Khảo sát, đánh giá"],
    "emulation": ["Phát động thi đua", "Thi đua", "Phong trào thi đua"],
    "support": ["Hỗ trợ", "Trao tặng quà hỗ trợ", "Hỗ trợ kinh phí"],
    "other": ["Hội nghị", "Sơ kết", "Tổng kết"],
}  # fmt: skip

# Topics: (cluster, phrasings). Topics of one cluster share words (hard negatives).
TOPICS: list[tuple[str, list[str]]] = [
    ("dich", ["phòng, chống dịch sốt xuất huyết", "phòng chống SXH", "diệt lăng quăng, bọ gậy phòng sốt xuất huyết",
              "phòng, chống dịch bệnh sốt xuất huyết"]),
    ("dich", ["phòng, chống dịch tả lợn châu Phi", "phòng chống bệnh dịch tả heo châu Phi",
              "phòng chống dịch tả lợn"]),
    ("dich", ["tiêm chủng vắc xin phòng bệnh sởi", "tiêm vắc xin sởi, rubella cho trẻ em",
              "tiêm chủng phòng sởi"]),
    ("dich", ["phòng chống dịch Covid-19", "phòng, chống dịch bệnh COVID-19", "phòng dịch Covid"]),
    ("gt", ["bảo đảm trật tự an toàn giao thông", "bảo đảm TTATGT", "an toàn giao thông dịp Tết",
            "ATGT cho học sinh"]),
    ("gt", ["an toàn vệ sinh thực phẩm", "bảo đảm VSATTP", "an toàn thực phẩm trong dịp Tết",
            "vệ sinh an toàn thực phẩm tại bếp ăn tập thể"]),
    ("gt", ["an toàn lao động, vệ sinh lao động", "tháng hành động về an toàn, vệ sinh lao động",
            "an toàn vệ sinh lao động trong doanh nghiệp"]),
    ("ntm", ["xây dựng nông thôn mới", "xây dựng NTM nâng cao", "chung sức xây dựng nông thôn mới",
             "xã đạt chuẩn nông thôn mới"]),
    ("ntm", ["xây dựng đô thị văn minh", "xây dựng phường đạt chuẩn đô thị văn minh",
             "nếp sống văn minh đô thị"]),
    ("ntm", ["khu dân cư kiểu mẫu", "xây dựng KDC kiểu mẫu", "khu dân cư nông thôn mới kiểu mẫu"]),
    ("vh", ["toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân cư", "TDĐKXDĐSVH",
            "cuộc vận động toàn dân đoàn kết xây dựng đời sống văn hoá"]),
    ("vh", ["bình xét gia đình văn hóa", "gia đình văn hoá tiêu biểu", "bình xét GĐVH"]),
    ("vh", ["Ngày hội Đại đoàn kết toàn dân tộc", "Ngày hội ĐĐK toàn dân tộc ở KDC",
            "ngày hội đại đoàn kết ở khu dân cư"]),
    ("ngheo", ["quỹ Vì người nghèo", "ủng hộ quỹ vì người nghèo", "xây dựng quỹ Vì người nghèo"]),
    ("ngheo", ["xóa nhà tạm, nhà dột nát", "xoá nhà tạm cho hộ nghèo", "làm nhà Đại đoàn kết, xóa nhà tạm cho hộ nghèo",
               "sửa chữa nhà dột nát"]),
    ("ngheo", ["giảm nghèo bền vững", "thực hiện chương trình GNBV", "giảm nghèo đa chiều"]),
    ("ngheo", ["vay vốn ngân hàng chính sách xã hội", "vay vốn tín dụng chính sách cho hộ nghèo",
               "tổ tiết kiệm vay vốn ngân hàng chính sách"]),
    ("bh", ["bảo hiểm y tế hộ gia đình", "BHYT hộ gia đình", "tham gia bảo hiểm y tế toàn dân"]),
    ("bh", ["bảo hiểm xã hội tự nguyện", "tham gia BHXH tự nguyện", "phát triển người tham gia BHXH tự nguyện"]),
    ("mt", ["vệ sinh môi trường, thu gom rác thải", "VSMT, thu gom rác thải sinh hoạt",
            "phân loại rác thải tại nguồn", "thu gom, xử lý rác thải"]),
    ("mt", ["chống rác thải nhựa", "nói không với túi ni lông, rác thải nhựa", "giảm thiểu rác thải nhựa"]),
    ("mt", ["trồng cây xanh", "Tết trồng cây đời đời nhớ ơn Bác Hồ", "trồng cây phân tán"]),
    ("mt", ["nước sạch và vệ sinh môi trường nông thôn", "sử dụng nước sạch", "cung cấp nước sạch nông thôn"]),
    ("an", ["phòng, chống ma túy", "phòng chống tệ nạn ma tuý", "phòng, chống ma túy trong học đường"]),
    ("an", ["phòng cháy, chữa cháy", "PCCC và CNCH", "phòng cháy chữa cháy tại khu dân cư",
            "phòng cháy, chữa cháy rừng"]),
    ("an", ["phong trào toàn dân bảo vệ an ninh Tổ quốc", "toàn dân bảo vệ ANTQ", "bảo vệ an ninh Tổ quốc"]),
    ("an", ["phòng chống lừa đảo qua mạng", "phòng, chống tội phạm lừa đảo trên không gian mạng",
            "cảnh giác lừa đảo trực tuyến"]),
    ("an", ["phòng chống thiên tai, tìm kiếm cứu nạn", "PCTT và TKCN", "phòng chống lụt bão, thiên tai"]),
    ("gd", ["phòng chống bạo lực gia đình", "phòng, chống BLGĐ", "phòng chống bạo lực gia đình và xâm hại trẻ em"]),
    ("gd", ["bình đẳng giới", "thực hiện BĐG", "bình đẳng giới và vì sự tiến bộ của phụ nữ"]),
    ("gd", ["phòng chống đuối nước trẻ em", "phòng, chống đuối nước cho trẻ em dịp hè", "dạy bơi phòng đuối nước"]),
    ("cq", ["bầu cử đại biểu Quốc hội và HĐND các cấp", "bầu cử ĐBQH và đại biểu HĐND",
            "công tác bầu cử đại biểu Quốc hội, HĐND"]),
    ("cq", ["cải cách hành chính", "CCHC, thủ tục hành chính", "cải cách thủ tục hành chính"]),
    ("cq", ["chuyển đổi số", "CĐS trong cộng đồng", "tổ công nghệ số cộng đồng, chuyển đổi số"]),
    ("cq", ["tiếp công dân, giải quyết khiếu nại tố cáo", "giải quyết đơn thư khiếu nại, tố cáo",
            "tiếp dân và giải quyết khiếu nại"]),
    ("cq", ["thực hiện quy chế dân chủ ở cơ sở", "dân chủ ở cơ sở", "Luật Thực hiện dân chủ ở cơ sở"]),
    ("kt", ["giải phóng mặt bằng dự án đường vành đai", "GPMB dự án đường vành đai",
            "bồi thường, GPMB dự án vành đai"]),
    ("kt", ["chuyển đổi cơ cấu cây trồng", "chuyển đổi cây trồng, vật nuôi", "chuyển đổi cơ cấu cây trồng vật nuôi"]),
    ("kt", ["phát triển kinh tế tập thể, hợp tác xã", "phát triển HTX", "thành lập hợp tác xã nông nghiệp"]),
    ("kt", ["sản phẩm OCOP", "phát triển sản phẩm OCOP", "chương trình mỗi xã một sản phẩm OCOP"]),
    ("kt", ["người Việt Nam ưu tiên dùng hàng Việt Nam", "cuộc vận động NVN ưu tiên dùng HVN",
            "ưu tiên dùng hàng Việt"]),
    ("xh", ["hiến máu tình nguyện", "ngày hội hiến máu tình nguyện", "hiến máu nhân đạo"]),
    ("xh", ["chiến dịch tình nguyện mùa hè xanh", "mùa hè xanh", "tình nguyện mùa hè"]),
    ("xh", ["chăm sóc người cao tuổi", "chăm sóc, phát huy vai trò NCT", "mừng thọ người cao tuổi"]),
    ("xh", ["đền ơn đáp nghĩa, tặng quà gia đình chính sách", "thăm, tặng quà gia đình chính sách, người có công", "tặng quà người có công dịp 27/7"]),
    ("xh", ["tặng quà Tết cho hộ nghèo", "quà Tết vì người nghèo", "thăm hỏi, tặng quà Tết hộ nghèo"]),
    ("xh", ["khuyến học, khuyến tài", "khuyến học, xây dựng xã hội học tập", "trao học bổng khuyến học"]),
    ("xh", ["thể dục thể thao quần chúng", "phong trào TDTT", "giải bóng đá, thể thao quần chúng"]),
    ("xh", ["hỗ trợ đồng bào vùng lũ", "cứu trợ đồng bào bị thiệt hại do bão lũ", "ủng hộ đồng bào vùng bão lũ"]),
    ("xh", ["hỗ trợ sinh kế cho phụ nữ", "hỗ trợ sinh kế, khởi nghiệp cho phụ nữ", "phụ nữ khởi nghiệp, phát triển kinh tế"]),
]  # fmt: skip

AUDIENCES = ["", "", "", " cho hội viên", " cho hội viên, nông dân", " cho ĐVTN",
             " cho CB,CC", " cho nhân dân", " cho hội viên phụ nữ", " cho cựu chiến binh",
             " cho người cao tuổi", " cho học sinh", " cho đoàn viên công đoàn"]  # fmt: skip
FILLERS = [
    "Huy động sự tham gia của các tầng lớp nhân dân.",
    "Góp phần nâng cao nhận thức của nhân dân.",
    "Thời gian từ ngày {d1} đến ngày {d2}.",
    "Địa điểm: nhà văn hóa thôn {place}.",
    "Thành phần gồm Ban Thường trực, các đoàn thể chính trị - xã hội.",
    "Kinh phí từ nguồn ngân sách và xã hội hóa.",
    "Giao các chi hội triển khai đến hội viên.",
    "Báo cáo kết quả về Ban Thường trực trước ngày {d2}.",
    "Phân công cán bộ phụ trách địa bàn.",
    "",
]
PLACES = ["Hòa Bình", "Tân Phú", "An Khánh", "Đông Hòa", "Phú Thủy", "Thanh Xuân", "Quý Lộc",
          "Thuận An", "Bình Minh", "Hưng Long", "Hải Hòa", "Đức Thủy", "Tân Lập", "Phước Hòa",
          "Yên Thế", "Kim Liên", "Vĩnh Phúc", "Hoàng Long", "Minh Khai", "Quang Trung",
          "Nghĩa Đô", "Thụy Khuê", "Xuân Thủy", "Cẩm Lệ", "Hòa Khánh", "Long Biên", "Gia Lâm",
          "Sơn Thủy", "Trường Xuân", "Lạc Long"]  # fmt: skip
ORG_TYPES = [
    ("MTTQ", "Ủy ban MTTQ"),
    ("HPN", "Hội LHPN"),
    ("DTN", "Đoàn TN"),
    ("HND", "Hội ND"),
    ("CCB", "Hội CCB"),
    ("LDLD", "Công đoàn"),
    ("NCT", "Hội NCT"),
]
START = date(2022, 1, 1)
SPAN_DAYS = 3 * 365
WINDOW = 14

ABBREVIATE = [
    ("sốt xuất huyết", "SXH"), ("an toàn giao thông", "ATGT"), ("nông thôn mới", "NTM"),
    ("khu dân cư", "KDC"), ("vệ sinh môi trường", "VSMT"), ("Mặt trận Tổ quốc", "MTTQ"),
    ("giải phóng mặt bằng", "GPMB"), ("bảo hiểm y tế", "BHYT"), ("bảo hiểm xã hội", "BHXH"),
    ("phòng cháy, chữa cháy", "PCCC"), ("phòng cháy chữa cháy", "PCCC"),
    ("Hội đồng nhân dân", "HĐND"), ("Ủy ban nhân dân", "UBND"), ("cán bộ, công chức", "CB,CC"),
    ("đoàn viên thanh niên", "ĐVTN"), ("hội viên", "HV"), ("người cao tuổi", "NCT"),
    ("bạo lực gia đình", "BLGĐ"), ("bình đẳng giới", "BĐG"), ("cải cách hành chính", "CCHC"),
    ("chuyển đổi số", "CĐS"), ("thể dục thể thao", "TDTT"), ("Ban chỉ đạo", "BCĐ"),
    ("nông dân", "ND"), ("phụ nữ", "PN"), ("thanh niên", "TN"), ("cựu chiến binh", "CCB"),
]  # fmt: skip

_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_TONES = {_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT}


def strip_diacritics(text: str) -> str:
    out = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return out.replace("đ", "d").replace("Đ", "D")


def old_tone_style(text: str) -> str:
    """hòa → hoà, thủy → thuỷ, khỏe → khoẻ (tone on the second vowel of open oa/oe/uy)."""
    words = []
    for w in text.split(" "):
        d = unicodedata.normalize("NFD", w)
        low = strip_diacritics(w).lower()
        for pair in ("oa", "oe", "uy"):
            i = low.find(pair)
            if i >= 0 and i + 2 == len(low.rstrip(",.;:")) and not low.startswith("qu"):
                # Move the tone of the first vowel to the second.
                base = [c for c in d if c not in _TONES]
                tone = [c for c in d if c in _TONES]
                if tone:
                    letters = unicodedata.normalize("NFC", "".join(base))
                    j = i + 1
                    w = (
                        letters[:j]
                        + unicodedata.normalize("NFC", letters[j] + tone[0])
                        + letters[j + 1 :]
                    )
                break
        words.append(w)
    return " ".join(words)


@dataclass(slots=True)
class World:
    parents: dict[str, str]
    provinces: list[str]
    districts: list[str]
    communes: list[str]
    hamlets: dict[str, list[str]]
    children: dict[str, list[str]]


def make_world(size: int, rng: random.Random) -> World:
    n_communes = max(12, size // 150)
    n_districts = max(2, n_communes // 12)
    n_provinces = max(1, n_districts // 10)
    parents: dict[str, str] = {}
    children: dict[str, list[str]] = {}
    provinces = [f"P{p:02d}" for p in range(n_provinces)]
    districts: list[str] = []
    communes: list[str] = []
    hamlets: dict[str, list[str]] = {}
    for d in range(n_districts):
        code = f"{provinces[d % n_provinces]}.D{d:03d}"
        parents[code] = provinces[d % n_provinces]
        districts.append(code)
    for c in range(n_communes):
        dist = districts[c % n_districts]
        code = f"{dist}.C{c:04d}"
        parents[code] = dist
        communes.append(code)
        hamlets[code] = []
        for h in range(6):
            hc = f"{code}.H{h}"
            parents[hc] = code
            hamlets[code].append(hc)
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    return World(parents, provinces, districts, communes, hamlets, children)


@dataclass(slots=True)
class Act:
    org: str
    kind: str
    topic: int
    units: list[str]
    start: date
    end: date


class Generator:
    def __init__(self, size: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.size = size
        self.world = make_world(size, self.rng)
        self.clusters: dict[str, list[int]] = {}
        for i, (cl, _) in enumerate(TOPICS):
            self.clusters.setdefault(cl, []).append(i)
        self.n = 0

    # -- structure ------------------------------------------------------------------

    def family(self) -> str:
        fams = list(FAMILY_WEIGHTS)
        return self.rng.choices(fams, weights=[FAMILY_WEIGHTS[f] for f in fams])[0]

    def kind(self, family: str) -> str:
        return self.rng.choice(KINDS[family])

    def area(self) -> tuple[str, str]:
        """(organization's area, target unit inside it)."""
        rng, w = self.rng, self.world
        commune = rng.choice(w.communes)
        r = rng.random()
        if r < 0.08:
            dist = w.parents[commune]
            return dist, rng.choice([dist, dist, commune])
        if r < 0.10:
            prov = w.parents[w.parents[commune]]
            return prov, prov
        return commune, rng.choice([commune, commune, *w.hamlets[commune][:3]])

    def org(self, area: str, exclude: set[str] | None = None) -> str:
        choices = [f"{t}-{area}" for t, _ in ORG_TYPES]
        if exclude:
            choices = [c for c in choices if c not in exclude] or choices
        return self.rng.choice(choices)

    def dates(self, around: date | None = None, gap: int | None = None) -> tuple[date, date]:
        rng = self.rng
        r = rng.random()
        dur = (
            rng.randint(0, 2)
            if r < 0.6
            else rng.randint(5, 30)
            if r < 0.92
            else rng.randint(31, 90)
        )
        if around is None:
            start = START + timedelta(days=rng.randrange(SPAN_DAYS))
        elif gap is None:
            start = around + timedelta(days=rng.randint(-10, 10))
        else:
            start = around + timedelta(days=gap)
        return start, start + timedelta(days=dur)

    # -- text -----------------------------------------------------------------------

    def phrase(self, topic: int) -> str:
        rng = self.rng
        text = rng.choice(TOPICS[topic][1])
        if rng.random() < 0.2 and ", " in text:
            parts = text.split(", ")
            rng.shuffle(parts)
            text = ", ".join(parts)
        return text

    def noise(self, text: str) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            for full, short in ABBREVIATE:
                if full in text and rng.random() < 0.6:
                    text = text.replace(full, short)
        r = rng.random()
        if r < 0.25:
            text = strip_diacritics(text)
        elif r < 0.55:
            text = old_tone_style(text)
        if rng.random() < 0.05:
            text = text.upper()
        return text

    def title(self, act: Act, area_name: str) -> str:
        rng = self.rng
        verb = rng.choice(VERBS[act.kind])
        pre = rng.choice(["", "", "", "Kế hoạch số {n}/KH-{o} về việc ", "Triển khai ",
                          "Tổ chức ", "V/v "])  # fmt: skip
        suf = rng.choice(["", "", "", " năm {y}", " trên địa bàn {a}", " tại KDC số {k}",
                          " quý {q}/{y}", " đợt {k}", " giai đoạn 2021-2025"])  # fmt: skip
        text = f"{pre}{verb} {self.phrase(act.topic)}{rng.choice(AUDIENCES)}{suf}"
        text = text.format(
            n=rng.randint(1, 300), o=act.org.split("-")[0], y=act.start.year, a=area_name,
            k=rng.randint(1, 12), q=rng.choice(["I", "II", "III", "IV"]),
        )  # fmt: skip
        return self.noise(text[0].upper() + text[1:])

    def description(self, act: Act) -> str:
        rng = self.rng
        if rng.random() < 0.25:
            return ""
        parts = [f"{rng.choice(VERBS[act.kind])} {self.phrase(act.topic)}."]
        for _ in range(rng.randint(0, 2)):
            parts.append(rng.choice(FILLERS))
        text = " ".join(p for p in parts if p).format(
            d1=act.start.strftime("%d/%m/%Y"), d2=act.end.strftime("%d/%m/%Y"),
            place=rng.choice(PLACES),
        )  # fmt: skip
        return self.noise(text)

    def emit(self, act: Act) -> dict[str, object]:
        self.n += 1
        area = act.units[0]
        name = {"P": "tỉnh", "D": "huyện", "C": "xã", "H": "thôn"}[area.split(".")[-1][0]]
        return {
            "id": f"A{self.n:07d}",
            "org": act.org,
            "kind": act.kind,
            "title": self.title(act, f"{name} {self.rng.choice(PLACES)}"),
            "description": self.description(act),
            "units": act.units,
            "start": act.start.isoformat(),
            "end": act.end.isoformat(),
            "_topic": act.topic,
        }

    # -- scenarios ------------------------------------------------------------------

    def background(self) -> list[Act]:
        area, unit = self.area()
        fam = self.family()
        s, e = self.dates()
        topic = self.rng.randrange(len(TOPICS))
        return [Act(self.org(area), self.kind(fam), topic, [unit], s, e)]

    def related_unit(self, unit: str) -> str:
        """The same unit, a parent or a child (containment)."""
        rng, w = self.rng, self.world
        r = rng.random()
        if r < 0.55:
            return unit
        if r < 0.8 and unit in w.parents:
            return w.parents[unit]
        kids = w.children.get(unit)
        return rng.choice(kids) if kids else unit

    def group(self) -> list[Act]:
        rng = self.rng
        _, unit = self.area()
        fam = self.family()
        topic = rng.randrange(len(TOPICS))
        s0, _ = self.dates()
        size = rng.choice([2, 2, 2, 3, 3, 4])
        acts: list[Act] = []
        used: set[str] = set()
        for i in range(size):
            u = unit if i == 0 else self.related_unit(unit)
            org_area = u if u.split(".")[-1][0] in "PDC" else self.world.parents[u]
            org = self.org(org_area, used)
            used.add(org)
            s, e = self.dates(around=s0)
            acts.append(Act(org, self.kind(fam), topic, [u], s, e))
        return acts

    def hard_negative(self) -> list[Act]:
        rng, w = self.rng, self.world
        anchor = self.background()[0]
        a = anchor
        fam = FAMILY_OF[a.kind]
        org_area = a.org.split("-", 1)[1]
        other_org = self.org(org_area, {a.org})
        which = rng.choice(["org", "unit", "date", "family", "topic"])
        s, e = self.dates(around=a.start)
        neg = Act(other_org, self.kind(fam), a.topic, list(a.units), s, e)
        if which == "org":
            neg.org = a.org
        elif which == "unit":
            unit = a.units[0]
            parent = w.parents.get(unit)
            sibs = [c for c in w.children.get(parent, []) if c != unit] if parent else []
            if not sibs:
                neg.org = a.org
            else:
                neg.units = [rng.choice(sibs)]
        elif which == "date":
            gap = WINDOW + rng.randint(1, 26)
            if rng.random() < 0.5:
                neg.start = a.end + timedelta(days=gap)
                neg.end = neg.start + timedelta(days=rng.randint(0, 3))
            else:
                neg.end = a.start - timedelta(days=gap)
                neg.start = neg.end - timedelta(days=rng.randint(0, 3))
        elif which == "family":
            other = rng.choice([f for f in KINDS if f != fam])
            neg.kind = self.kind(other)
        else:
            cl = TOPICS[a.topic][0]
            mates = [t for t in self.clusters[cl] if t != a.topic]
            neg.topic = rng.choice(mates)
        return [a, neg]

    def records(self) -> Iterator[dict[str, object]]:
        rng = self.rng
        while self.n < self.size:
            r = rng.random()
            acts = (
                self.group()
                if r < 0.12
                else self.hard_negative()
                if r < 0.22
                else self.background()
            )
            for act in acts:
                if self.n >= self.size:
                    break
                yield self.emit(act)


def generate(size: int, seed: int, out: Path, parents_out: Path) -> None:
    gen = Generator(size, seed)
    with out.open("w", encoding="utf-8") as fh:
        for rec in gen.records():
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    parents_out.write_text(json.dumps(gen.world.parents), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--parents", type=Path, required=True)
    args = ap.parse_args()
    generate(args.size, args.seed, args.out, args.parents)


if __name__ == "__main__":
    main()
