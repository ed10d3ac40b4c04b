"""Overlap detection between activities of different organizations (pure Python).

The rule (issue "Plans, joint work and tasks"): two activities overlap when all hold

1. they belong to different organizations;
2. their target units share a unit, or one targets a unit that contains (is an ancestor
   of) a unit the other targets;
3. their date ranges overlap or lie within ``window_days`` (14 by default) of each other;
4. they pursue the same purpose: kinds of the same family (``KIND_FAMILY``) and the same
   topic, judged from the words of the titles and descriptions.

Conditions 1–3 and the family are exact. The topic is a text similarity:

- Each text is turned into accent-folded content tokens (``Analyzer``, built on
  ``vntext``): tone placement, missing diacritics, abbreviations (the curated table and
  the acronyms learned from the corpus, see below), boilerplate, numbered words ("quý
  IV", "năm 2017") and place names after "thôn", "khu", "xã"… neutralised; the
  near-synonyms of the field (``NEAR_SYNONYMS``: "trẻ em"/"thiếu nhi"/"học sinh",
  "người có công"/"gia đình chính sách", "XKLĐ"/"đi làm việc ở nước ngoài"…) become one
  key each; the words that only say *how* (``ACTION_PHRASES`` and the verbs of gifts and
  reviews: "tuyên truyền", "kiểm tra", "tặng", "rà soát"…) are removed, since the kind
  is compared separately. Shingles are the tokens plus the unordered bigrams of
  neighbouring tokens (``vntext.shingles``); a bigram weighs ``BIGRAM_WEIGHT`` (0.25).
- Acronyms learned from the corpus (``learn_acronyms``): an all-capital word of 3–8
  letters unknown to the table whose letters are the initials of a word sequence seen at
  least twice in the same data ("XKLĐ" ↔ "xuất khẩu lao động"; diacritics folded, "Đ"
  kept). The reasons show the expansion: "XKLĐ (xuất khẩu lao động)".
- False pairs refused whatever their words (``refused``): two "phòng, chống …" about
  different dangers; an organization's internal review ("bình xét chi hội vững mạnh",
  "xếp loại chi đoàn") or its own anniversary. Two activities sharing only a place and
  an audience have no non-generic word in common and are never compared.
- Each signal can be turned off (``signals={"synonyms": False, …}``) for the ablation
  of ``bench/overlap/realstyle_bench.py``.
- A shingle weighs its inverse document frequency ``idf = ln(1 + (N + 1000) / df)``
  over the N indexed activities (the 1000 prior documents keep tiny corpora sane),
  times ``GENERIC_WEIGHT`` (0.25) when all its words are generic (``GENERIC_WORDS``:
  audiences, places, logistics, modifiers such as "phòng chống", "an toàn"), times 1 in
  the title and ``DESCRIPTION_WEIGHT`` (0.5) when it only occurs in the description.
- ``similarity = S / sqrt(W_a · W_b)`` where ``S`` is the summed weight (the smaller of
  the two) of the shared shingles and ``W`` the total weight of each side. A pair is an
  overlap when ``similarity ≥ threshold`` (``DEFAULT_THRESHOLD`` = 0.18, tuned on the
  dev split of the real-style benchmark and on the synthetic one in ``bench/overlap``).
  ``PairReason.matched_words`` lists the shared words as phrases spelt as in the first
  activity's text (runs of generic words alone left out); ``suggest`` spells them as
  the indexed (other) activity writes them.

Score of a pair, in 0..1 (higher = more certain)::

    topic = 0.5 + 0.5 · (similarity − threshold) / (1 − threshold)      (capped at 1)
    dates = 1 when the ranges overlap, else 1 − 0.5 · gap / (window_days + 1)
    units = 1 when a unit is shared, else 0.8 (containment only)
    score = topic · (0.8 + 0.1 · dates + 0.1 · units)

A group is a connected set of overlapping pairs (union–find); its score is the mean of
its pair scores. Groups are listed most certain first, ties by input order.

Scaling (no all-pairs comparison):

- Blocking. Every activity sits in the blocks ``(unit, family, 16-day bucket)`` of its own
  target units and of the buckets its dates cover. An activity looks at the blocks of its
  own units *and their ancestors*, for the buckets of its dates widened by the window; a
  pair that shares a unit is seen from both sides, a pair where one targets an ancestor
  of the other's unit from the descendant's side. ``OverlapIndex.suggest`` also looks at
  the blocks of the descendants of the draft's units.
- Word filter. A candidate must share a non-generic word with the activity (set test in
  C) before the exact checks (organization, dates, similarity).
- Crowded blocks. A block holding more than ``BIG_BLOCK`` activities (e.g. every
  activity of a big office aimed at the same district) is also indexed by word:
  ``(word, block)`` → activities, under the non-generic words of each activity (all of
  them while fewer than ``FULL_INDEX_LIMIT`` activities are indexed, else the
  ``PREFIX_TITLE`` rarest of the title and ``PREFIX_DESCRIPTION`` rarest of the
  description), and looked up under the activity's own such words. There a true overlap
  is missed only when the two texts share none of these rare words.
- Bulk. ``find_groups`` does not go through ``OverlapIndex``: ``khoi.lib.overlap_bulk``
  computes the same pairs and reasons on numpy arrays (texts analysed once per step over
  one joined string, a sorted join for the candidates, similarities summed with
  ``bincount``), searching crowded blocks exactly. ``OverlapIndex`` serves ``suggest``.
- Two cores. ``find_groups`` on ``PARALLEL_MIN`` activities or more forks one process per
  core and gives each whole top-level units (overlaps never cross them); the processes
  pool their word counts first, so weights, pairs and scores are those of one process.
  ``OverlapIndex.add_all`` tokenises in forked workers the same way.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from itertools import compress
from typing import Any

import numpy as np

from khoi.lib import vntext

_Raw = tuple[int, int, float, int, int, tuple[int, ...]]

# Kind codes → family. Kinds of one family pursue a purpose the same way.
KIND_FAMILY: dict[str, str] = {
    "propaganda": "outreach",
    "mobilisation": "outreach",
    "training": "outreach",
    "inspection": "checking",
    "supervision": "checking",
    "survey": "checking",
    "emulation": "emulation",
    "support": "support",
    "other": "other",
}
FAMILIES: tuple[str, ...] = ("outreach", "checking", "emulation", "support", "other")
FAMILY_LABELS: dict[str, str] = {
    "outreach": "Tuyên truyền, vận động, tập huấn",
    "checking": "Kiểm tra, giám sát, khảo sát",
    "emulation": "Thi đua",
    "support": "Hỗ trợ",
    "other": "Khác",
}

# Words that say how an activity is done rather than what it is about; the kind (family)
# is compared on its own, so they are left out of the topic.
ACTION_PHRASES: tuple[str, ...] = (
    "tuyên truyền",
    "vận động",
    "tập huấn",
    "bồi dưỡng",
    "phổ biến",
    "giáo dục",
    "kiểm tra",
    "giám sát",
    "khảo sát",
    "điều tra",
    "thi đua",
    "phát động",
    "hỗ trợ",
    "trao tặng",
    "hội nghị",
    "hội thảo",
    "ra quân",
    "mít tinh",
    "sơ kết",
    "tổng kết",
    "hướng dẫn",
    "đánh giá",
    "tình hình",
)

# Words common to any activity (audiences, places, organizations, logistics): they weigh
# GENERIC_WEIGHT of their frequency weight, so that "cho hội viên" or "tại khu dân cư"
# do not make two different topics look alike.
GENERIC_WORDS: tuple[str, ...] = (
    "hội viên", "đoàn viên", "nhân dân", "học sinh", "sinh viên", "cán bộ", "công chức",
    "viên chức", "khu dân cư", "kinh phí", "thôn", "xã", "phường", "tỉnh", "huyện", "tổ",
    "địa điểm", "thời gian", "nhà văn hóa", "ban thường trực", "đoàn thể", "chính trị",
    "tầng lớp", "tham gia", "huy động", "phân công", "phụ trách", "báo cáo", "nguồn",
    "ngân sách", "hội", "đoàn", "chi hội", "thanh niên", "phụ nữ", "nông dân",
    "cựu chiến binh", "người", "dân", "cộng đồng", "gia đình", "cơ sở", "các cấp", "đến",
    "trước", "gồm", "thành phần", "giao", "triển khai", "mặt trận", "tổ quốc", "ủy ban",
    "liên hiệp", "công đoàn", "cao tuổi", "xây dựng", "phát triển", "phong trào",
    "bảo đảm", "đảm bảo", "nghiệp vụ", "kiến thức", "chuyên đề", "dịp",
    "phòng", "chống", "phòng chống", "an toàn", "vệ sinh", "bảo hiểm", "bảo vệ",
    "chị em", "hộ", "nhà", "tình nguyện", "xung kích", "tiêu biểu", "câu lạc bộ", "quà",
    "đạt chuẩn",
    "tai",
)  # fmt: skip
GENERIC_WEIGHT = 0.25
BIGRAM_WEIGHT = 0.25  # weight of a pair of neighbouring words, against a single word

DEFAULT_WINDOW_DAYS = 14
DEFAULT_THRESHOLD = 0.18
DESCRIPTION_WEIGHT = 0.5
IDF_PRIOR_DOCS = 1000
BUCKET_DAYS = 16
BIG_BLOCK = 64  # blocks with more activities are searched through their shingles
PARALLEL_MIN = 50_000  # bulk work above this size is split over the CPU cores (fork)
FULL_INDEX_LIMIT = 20_000
_DESC_CACHE_MAX = 400_000
PREFIX_TITLE = 6
PREFIX_DESCRIPTION = 2

_FAMILY_ID = {f: i for i, f in enumerate(FAMILIES)}
_GENERIC_KEYS = frozenset(w for phrase in GENERIC_WORDS for w in vntext.fold(phrase).split())


# -- signals: near-synonyms, acronyms, false pairs --------------------------------------

# Near-synonyms of this field: each class becomes one key ("=name"), so that "tặng quà
# cho trẻ em" and "trao quà cho thiếu nhi" share their words. Classes whose key is in
# GENERIC_CLASSES weigh like generic words (audiences, times). Phrases are matched as
# whole words, accent-folded, after abbreviations are expanded, longest first.
NEAR_SYNONYMS: dict[str, tuple[str, ...]] = {
    # How a gift or a visit is made (the kind already says "support"): left out.
    "": ("tặng", "trao", "trao tặng", "tặng quà", "trao quà", "thăm", "thăm hỏi",
         "thăm tặng", "giúp", "giúp đỡ", "ủng hộ", "quyên góp", "hưởng ứng", "nhân rộng",
         "truyền thông", "nói chuyện", "nói chuyện chuyên đề", "sinh hoạt chuyên đề",
         "tư vấn", "khảo sát", "rà soát", "bình xét", "nắm tình hình", "điều tra",
         "thống kê", "chuyển giao", "vui", "khai mạc", "phối hợp tổ chức", "tháng hành động",
         # Where it takes place (the units are compared on their own).
         "hội trường", "trụ sở", "nhà văn hóa", "hội trường ủy ban nhân dân", "nhà văn hóa thôn",
         "nhà văn hóa khu"),
    # "phòng chống bão": "bão" alone cannot be mapped (it folds like "bảo").
    "=pc =thientai": ("phòng chống bão", "phòng, chống bão", "phòng chống bão lũ",
                      "phòng chống lũ", "phòng, chống lụt, bão"),
    "=pc": ("phòng chống", "phòng, chống", "phòng ngừa", "phòng tránh", "đấu tranh phòng chống",
            "phòng ngừa, đấu tranh", "phòng, tránh", "phòng ngừa, đấu tranh chống"),
    "=treem": ("thiếu nhi", "trẻ em", "trẻ", "các cháu", "cháu", "thiếu niên nhi đồng",
               "thiếu niên", "nhi đồng", "học sinh", "con em", "trẻ nhỏ", "con nhỏ",
               "thanh thiếu niên", "thanh thiếu nhi", "học sinh sinh viên", "em"),
    "=nguoicocong": ("gia đình chính sách", "người có công", "người có công với cách mạng",
                     "có công với cách mạng", "gia đình có công", "thương binh", "bệnh binh",
                     "liệt sĩ", "thân nhân liệt sĩ", "gia đình liệt sĩ", "thương binh liệt sĩ",
                     "mẹ việt nam anh hùng", "ngày thương binh liệt sĩ", "thương binh, liệt sĩ"),
    "=hongheo": ("hộ nghèo", "người nghèo", "hộ cận nghèo", "cận nghèo", "hộ nghèo, hộ cận nghèo",
                 "hộ nông dân nghèo", "hội viên nghèo"),
    "=ngheo": ("nghèo", "hoàn cảnh khó khăn", "khó khăn", "vùng khó khăn", "vượt khó",
               "hoàn cảnh đặc biệt khó khăn", "neo đơn", "có hoàn cảnh khó khăn"),
    "=quatet": ("quà tết", "tặng quà tết", "trao quà tết", "tết vì người nghèo",
                "quà tết cho hộ nghèo"),
    "=aoam": ("áo ấm", "áo rét", "chăn ấm", "chăn", "quần áo", "quần áo ấm", "chăn màn"),
    "=muadong": ("mùa đông", "đông về", "mùa rét", "giá rét", "rét"),
    "=congiong": ("con giống", "bò giống", "vật nuôi", "bò sinh sản", "lợn nái", "gà giống",
                  "giống vật nuôi", "lợn giống", "dê giống", "bò"),
    "=sinhke": ("sinh kế", "tạo sinh kế", "phát triển kinh tế", "thoát nghèo",
                "thoát nghèo bền vững", "làm kinh tế"),
    "=quyvinguoingheo": ("quỹ vì người nghèo", "quỹ “vì người nghèo”"),
    "=kenhmuong": ("kênh mương", "kênh tiêu", "kênh", "mương", "thủy lợi nội đồng", "thủy lợi",
                   "kênh tiêu thủy lợi", "kênh mương nội đồng", "dòng chảy"),
    "=naovet": ("nạo vét", "khơi thông", "làm thủy lợi"),
    "=vesinhmt": ("tổng vệ sinh", "dọn vệ sinh", "vệ sinh môi trường", "tổng dọn vệ sinh",
                  "làm sạch", "dọn dẹp", "vệ sinh đường làng", "chủ nhật xanh",
                  "tổng dọn vệ sinh môi trường", "dọn vệ sinh môi trường"),
    "=duonglang": ("đường làng ngõ xóm", "đường làng", "ngõ xóm", "đường thôn",
                   "đường trục thôn", "đường liên thôn", "đường làng, ngõ xóm"),
    "=hoa": ("trồng hoa", "đường hoa", "tuyến đường hoa", "hoa"),
    "=xkld": ("xuất khẩu lao động", "đi làm việc ở nước ngoài", "làm việc ở nước ngoài",
              "việc làm ở nước ngoài", "lao động ở nước ngoài", "đi làm việc tại nước ngoài",
              "làm việc tại nước ngoài", "đi làm việc có thời hạn ở nước ngoài",
              "lao động có thời hạn ở nước ngoài"),
    "=danso": ("kế hoạch hóa gia đình", "dân số", "dân số kế hoạch hóa gia đình",
               "sinh con thứ ba", "biện pháp tránh thai", "sinh đẻ có kế hoạch", "sinh con thứ 3"),
    "=skss": ("sức khỏe sinh sản", "chăm sóc sức khỏe sinh sản", "sức khỏe sinh sản vị thành niên"),
    "=tnxh": ("tệ nạn xã hội", "tệ nạn", "ma túy", "cờ bạc", "mại dâm", "tệ nạn ma túy",
              "cai nghiện", "nghiện"),
    "=atgt": ("an toàn giao thông", "trật tự an toàn giao thông", "luật giao thông",
              "giao thông", "mũ bảo hiểm", "đội mũ bảo hiểm", "luật giao thông đường bộ"),
    "=blgd": ("bạo lực gia đình",),
    "=ntm": ("nông thôn mới", "nông thôn mới nâng cao"),
    "=dsvh": ("đời sống văn hóa", "xây dựng đời sống văn hóa",
              "toàn dân đoàn kết xây dựng đời sống văn hóa",
              "toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân cư"),
    "=vanminhdothi": ("nếp sống văn minh đô thị", "văn minh đô thị", "đô thị văn minh",
                      "nếp sống văn minh"),
    "=cds": ("chuyển đổi số", "công nghệ số", "tổ công nghệ số cộng đồng"),
    "=ccct": ("chuyển đổi cơ cấu cây trồng", "chuyển đổi cơ cấu cây trồng vật nuôi",
              "chuyển đổi cây trồng", "chuyển đổi cây trồng, vật nuôi"),
    "=kttt": ("kinh tế tập thể", "phát triển kinh tế tập thể", "hợp tác xã"),
    "=racnhua": ("rác thải nhựa", "túi ni lông", "chống rác thải nhựa"),
    "=gdvh": ("gia đình văn hóa", "khu dân cư văn hóa", "làng văn hóa", "thôn văn hóa",
              "gia đình văn hóa tiêu biểu", "khu dân cư văn hóa tiêu biểu"),
    "=muabannguoi": ("mua bán người", "buôn bán người", "mua bán phụ nữ trẻ em",
                     "mua bán phụ nữ", "buôn người", "mua bán phụ nữ, trẻ em"),
    "=thientai": ("thiên tai", "lụt bão", "bão lụt", "giảm nhẹ thiên tai", "bão", "lũ lụt",
                  "tìm kiếm cứu nạn", "ứng phó thiên tai", "lũ"),
    "=hienmau": ("hiến máu", "hiến máu tình nguyện", "hiến máu nhân đạo", "giọt hồng"),
    "=hocbong": ("học bổng", "khuyến học", "học giỏi", "hiếu học", "vượt khó học giỏi"),
    "=vayvon": ("vay vốn", "vốn vay", "cho vay", "ngân hàng chính sách xã hội",
                "ngân hàng chính sách", "tổ tiết kiệm và vay vốn", "tín dụng chính sách",
                "cho vay vốn", "vốn chính sách", "ủy thác"),
    "=gpmb": ("giải phóng mặt bằng", "bồi thường", "đền bù", "thu hồi đất",
              "bồi thường, giải phóng mặt bằng"),
    "=bhyt": ("bảo hiểm y tế", "thẻ bảo hiểm y tế", "thẻ bhyt"),
    "=bhxh": ("bảo hiểm xã hội", "bảo hiểm xã hội tự nguyện"),
    "=thuysan": ("nuôi trồng thủy sản", "thủy sản", "hàu", "ngao", "nuôi hàu", "nuôi ngao"),
    "=kythuat": ("khoa học kỹ thuật", "kỹ thuật", "tiến bộ kỹ thuật", "tiến bộ khoa học kỹ thuật"),
    "=trungthu": ("tết trung thu", "trung thu", "vui tết trung thu"),
    "=atvsld": ("an toàn vệ sinh lao động", "an toàn lao động", "vệ sinh lao động",
                "an toàn, vệ sinh lao động"),
    "=attp": ("vệ sinh an toàn thực phẩm", "an toàn thực phẩm", "an toàn vệ sinh thực phẩm",
              "thực phẩm an toàn", "thực phẩm sạch", "thực phẩm"),
    "=duoinuoc": ("đuối nước", "dạy bơi", "bơi", "phòng tránh đuối nước", "bơi an toàn"),
    "=mungtho": ("mừng thọ", "chúc thọ"),
    "=pccc": ("phòng cháy chữa cháy", "phòng cháy, chữa cháy", "cháy nổ", "phòng cháy",
              "cứu nạn cứu hộ", "cứu nạn, cứu hộ",
              "chữa cháy", "thoát hiểm", "cháy"),
    "=rac": ("rác thải", "rác", "phân loại rác", "rác thải sinh hoạt", "phân loại rác thải"),
    "=nuocsach": ("nước sạch", "nhà tiêu hợp vệ sinh", "nhà tiêu", "công trình vệ sinh"),
    "=dondien": ("dồn điền đổi thửa", "dồn điền", "đổi thửa", "tích tụ ruộng đất",
                 "dồn điền, đổi thửa"),
    "=khoinghiep": ("khởi nghiệp", "khởi sự kinh doanh", "lập kế hoạch kinh doanh"),
    "=ngayhoiddk": ("ngày hội đại đoàn kết", "ngày hội đại đoàn kết toàn dân tộc",
                    "đại đoàn kết toàn dân tộc"),
    "=nha": ("nhà đại đoàn kết", "xóa nhà tạm", "nhà tạm", "nhà dột nát", "làm nhà", "xây nhà",
             "sửa chữa nhà", "nhà tình nghĩa", "mái ấm", "nhà ở"),
    "=dacam": ("chất độc da cam", "dioxin", "nạn nhân chất độc da cam", "da cam"),
    "=khuyettat": ("người khuyết tật", "khuyết tật", "tàn tật", "người tàn tật", "xe lăn"),
    "=mocoi": ("trẻ mồ côi", "mồ côi", "đỡ đầu", "mẹ đỡ đầu", "kết nghĩa", "nhận đỡ đầu"),
    "=vudong": ("vụ đông", "cây vụ đông", "sản xuất vụ đông", "rau màu vụ đông"),
    "=nvqs": ("nghĩa vụ quân sự", "nhập ngũ", "tuyển quân", "lên đường nhập ngũ", "tân binh",
              "luật nghĩa vụ quân sự", "giao quân"),
    "=thuocla": ("thuốc lá", "khói thuốc", "không khói thuốc", "không khói thuốc lá",
                 "tác hại thuốc lá"),
    "=trongcay": ("trồng cây", "tết trồng cây", "cây xanh", "trồng cây xanh", "trồng cây phân tán",
                  "trồng rừng"),
    "=hangviet": ("hàng việt nam", "hàng việt", "dùng hàng việt", "dùng hàng việt nam",
                  "ưu tiên dùng hàng việt nam"),
    "=biendao": ("biển đảo", "chủ quyền biển đảo", "luật biển", "chủ quyền biển, đảo", "biển, đảo",
                 "luật biển việt nam"),
    "=congnhan": ("công nhân lao động", "công nhân", "công nhân viên chức lao động",
                  "người lao động", "công nhân viên chức"),
    "=tthc": ("thủ tục hành chính", "một cửa", "tiếp nhận và trả kết quả", "bộ phận một cửa",
              "cải cách hành chính", "cải cách thủ tục hành chính"),
    "=hngd": ("hôn nhân và gia đình", "hôn nhân gia đình", "hôn nhân, gia đình", "hôn nhân"),
    "=tet": ("tết", "đón tết", "dịp tết", "tết nguyên đán", "quà tết", "đầu xuân", "xuân"),
    "=phapluat": ("phổ biến giáo dục pháp luật", "pháp luật", "luật"),
}  # fmt: skip
GENERIC_CLASSES = frozenset({"=treem", "=kythuat", "=tet", "=phapluat", "=pc", "dip", "=ngheo"})

# "Phòng, chống X": two such activities about different dangers are different purposes
# however much else they share (audience, place, kind).
_PC_STARTS = ("=pc", "phong chong", "phong ngua", "phong tranh", "phong dich", "phong benh",
              "chong",
              "dau tranh chong")  # fmt: skip
_PC_SKIP = frozenset(
    "dich benh tac hai hanh vi toi pham cac tinh trang nguy co van nan su trong cho cua va".split()  # noqa: SIM905
)
# An organization's own internal review ("bình xét chi hội vững mạnh", "xếp loại chi
# đoàn", "khen thưởng hội viên tiêu biểu"): never a purpose shared with another
# organization. A review word, and a unit of the organization or a member with a merit.
_REVIEW = ("binh xet", "xet cong nhan", "xep loai", "danh gia", "phan loai", "binh chon",
           "khen thuong", "tong ket thi dua", "xet")  # fmt: skip
_OWN_UNIT = ("chi hoi", "to hoi", "chi doan", "co so hoi", "co so doan", "cong doan co so",
             "ban cong tac mat tran", "chi bo", "doan co so", "to cong doan", "hoi co so",
             "chi hoi phu nu")  # fmt: skip
# An organization's own anniversary ("kỷ niệm 86 năm Ngày thành lập Đoàn") likewise.
_OWN_ANNIVERSARY = ("ngay thanh lap", "thanh lap hoi", "thanh lap doan", "thanh lap cong doan")
_MEMBER = ("hoi vien", "doan vien", "dang vien", "can bo hoi")
_MERIT = ("vung manh", "xuat sac", "tieu bieu", "guong mau", "manh", "hoan thanh tot", "gioi",
          "chat luong", "dien hinh")  # fmt: skip
_COMMUNITY = ("ho ngheo", "can ngheo", "nguoi ngheo", "gia dinh van hoa", "khu dan cu van hoa",
              "lang van hoa", "gia dinh chinh sach", "nguoi cong")  # fmt: skip


def _phrase_re(phrases: Iterable[str]) -> re.Pattern[str]:
    """Any of the (key) phrases as whole words of a padded key string."""
    alts = sorted(phrases, key=len, reverse=True)
    return re.compile("(?<= )(?:" + "|".join(re.escape(p) for p in alts) + ")(?= )")


_PC_RE = re.compile(
    "(?<= )(?:" + "|".join(re.escape(p) for p in sorted(_PC_STARTS, key=len, reverse=True))
    + ")(?= ((?:\\S+ ){0,6}))"
)  # fmt: skip
_OWN_ANNIVERSARY_RE = _phrase_re(_OWN_ANNIVERSARY)
_REVIEW_RE = _phrase_re(_REVIEW)
_OWN_UNIT_RE = _phrase_re(_OWN_UNIT)
_MEMBER_RE = _phrase_re(_MEMBER)
_MERIT_RE = _phrase_re(_MERIT)
_COMMUNITY_RE = _phrase_re(_COMMUNITY)


def _features(raw: str, joined: str) -> tuple[frozenset[str] | None, bool]:
    """(objects of its "phòng, chống …", or None; is an internal review) of a text, from
    its key string before (``raw``) and after (``joined``) the near-synonyms."""
    objects: set[str] | None = None
    for m in _PC_RE.finditer(joined):
        got: list[str] = []
        for w in m.group(1).split():
            if w in ("phong", "chong", "=pc"):
                break
            if w not in _PC_SKIP and w not in _GENERIC_KEYS:
                got.append(w)
                if len(got) == 2:
                    break
            elif got:
                break
        if got:
            objects = (objects or set()) | set(got)
    internal = _OWN_ANNIVERSARY_RE.search(raw) is not None or (
        _REVIEW_RE.search(raw) is not None
        and (
            _OWN_UNIT_RE.search(raw) is not None
            or (_MEMBER_RE.search(raw) is not None and _MERIT_RE.search(raw) is not None)
        )
        and _COMMUNITY_RE.search(raw) is None
    )
    return (frozenset(objects) if objects else None), internal


def refused(
    feat_a: tuple[frozenset[str] | None, bool], feat_b: tuple[frozenset[str] | None, bool]
) -> bool:
    """True when two activities cannot share a purpose whatever their words: an internal
    review of an organization, or "phòng, chống" two different dangers."""
    if feat_a[1] or feat_b[1]:
        return True
    pa, pb = feat_a[0], feat_b[0]
    return pa is not None and pb is not None and pa.isdisjoint(pb)


# Acronyms learned from the corpus: an all-capital word of 3–8 letters (not a Roman
# number) that the table does not know, whose letters are the initials of a word sequence
# frequent in the same texts ("XKLĐ" ↔ "xuất khẩu lao động"; diacritics folded, "Đ" only
# matches "đ", "D" both).
_ACRONYM_RE = re.compile(r"\b[A-ZĐ]{3,8}\b")
_ROMAN = re.compile(r"[ivxlc]+")
ACRONYM_MIN_COUNT = 2
ACRONYM_SAMPLE = 20_000


def _initial(word: str) -> str:
    return "đ" if word[:1] in ("đ", "Đ") else vntext.fold(word[:1])


def learn_acronyms(texts: Iterable[str], sample: int = ACRONYM_SAMPLE) -> dict[str, str]:
    """{acronym: expansion} found in ``texts`` (at most ``sample`` of them are read)."""
    texts = list(texts)
    if len(texts) > sample:
        step = len(texts) / sample
        texts = [texts[int(k * step)] for k in range(sample)]
    known = vntext._ABBR
    exact: dict[str, str] = {}  # initials with "đ" → acronym as written
    for t in texts:
        if t.isupper():
            continue
        for a in _ACRONYM_RE.findall(t):
            key = vntext.fold(a)
            if (
                len(key) >= 3
                and key not in known
                and not _ROMAN.fullmatch(key)
                and any(c not in "aeiouy" for c in key)
            ):
                exact.setdefault(a.lower(), a)
    if not exact:
        return {}
    counts: dict[str, dict[str, int]] = {a: {} for a in exact}
    # Where the initials of a text spell an acronym: one regular expression (longest
    # first) over the string of initials, and over it with "đ" read as "d" (typed "D").
    find = re.compile(
        "(?=(" + "|".join(re.escape(a) for a in sorted(exact, key=len, reverse=True)) + "))"
    ).finditer
    initial: dict[str, str] = {}
    for t, times in Counter(texts).items():  # a repeated text is read once
        words = [w for w in vntext.fold_words(t) if not w.isdigit()]
        inits = "".join([initial.get(w) or initial.setdefault(w, _initial(w)) for w in words])
        plain = inits.replace("đ", "d")
        hits = [(m.start(), m.group(1)) for m in find(inits)]
        if plain != inits:
            hits += [
                (m.start(), a)
                for m in find(plain)
                if (a := m.group(1)) != inits[m.start() : m.start() + len(a)]
            ]
        for i, a in hits:
            seq = words[i : i + len(a)]
            if any(w in known for w in seq):
                continue  # "HV phụ nữ": a word that is itself an abbreviation
            phrase = vntext.unify_tones(" ".join(seq))
            counts[a][phrase] = counts[a].get(phrase, 0) + times
    out: dict[str, str] = {}
    for a, seqs in counts.items():
        if not seqs:
            continue
        best, n = max(seqs.items(), key=lambda kv: (kv[1], kv[0]))
        if n >= ACRONYM_MIN_COUNT and sum(1 for v in seqs.values() if v == n) == 1:
            out[exact[a]] = best
    return out


SIGNALS = ("learned_acronyms", "synonyms", "refusal")


def _clean(text: str) -> str:
    return vntext.drop_numbered_words(vntext.drop_place_names(text))


class Analyzer:
    """Turns a text into topic shingles and false-pair features, with the signals on."""

    def __init__(
        self, signals: Mapping[str, bool] | None = None, acronyms: Mapping[str, str] | None = None
    ) -> None:
        sig = dict.fromkeys(SIGNALS, True)
        sig.update(signals or {})
        self.signals = sig
        self.acronyms = dict(acronyms or {}) if sig["learned_acronyms"] else {}
        mapping: dict[str, str] = {}
        self.display: dict[str, str] = {}
        syn = _SYN_MAP if sig["synonyms"] else None
        for short, full in self.acronyms.items():
            expansion = vntext.joined_keys(full)
            if syn is not None:
                expansion = syn.keys(expansion)
            mapping[short] = expansion.strip()
            self.display[vntext.fold(short)] = f"{short} ({full})"
        if syn is not None:
            mapping.update(_SYN_PHRASES)
        self.map = vntext.PhraseMap(mapping)

    def keys(self, text: str) -> str:
        return self.map.keys(vntext.joined_keys(_clean(text)))

    def shingles(self, text: str) -> tuple[list[str], tuple[frozenset[str] | None, bool]]:
        raw = vntext.joined_keys(_clean(text))
        joined = self.map.keys(raw)
        feats = _features(raw, joined) if self.signals["refusal"] else (None, False)
        return vntext.shingles(vntext.strip_phrases(joined, ACTION_PHRASES)), feats

    def analyze(self, text: str) -> list[tuple[str, str]]:
        toks = vntext.analyze_raw(_clean(text))
        if self.display:
            toks = [(k, self.display[k]) if k in self.display else (k, p) for k, p in toks]
        return vntext.strip_pairs(self.map.pairs(toks), ACTION_PHRASES)


# A one-syllable phrase is only mapped when its accent-free form is one word: "bão"
# would also be "bảo" (bảo hiểm), "bò" "bộ" (cán bộ), "hoa" "hòa"; a phrase whose other
# words are stopwords ("đông về" → "đông") likewise.
SAFE_SYLLABLES = frozenset(
    "trao giup ngheo tet xuan kenh muong luat em tre ret ngao rac dip".split()  # noqa: SIM905
)


def _syn_phrases() -> dict[str, str]:
    out: dict[str, str] = {}
    for key, phrases in NEAR_SYNONYMS.items():
        for phrase in phrases:
            keys = vntext.joined_keys(phrase).split()
            if len(keys) == 1 and keys[0] not in SAFE_SYLLABLES:
                continue
            out[phrase] = key
    return out


_SYN_PHRASES = _syn_phrases()
_SYN_MAP = vntext.PhraseMap(_SYN_PHRASES)

# The accent-free function words kept because they may be content words ("tu" = "từ",
# "tự", "tư"; "viec" = "việc"): as generic words they no longer make a pair on their own.
_GENERIC_KEYS = _GENERIC_KEYS | GENERIC_CLASSES | (vntext._AMBIGUOUS_PLAIN - {"moi", "do", "hai"})
_DEFAULT_ANALYZER = Analyzer()
# Key layout: shingle << 40 | unit << 18 | family << 15 | bucket.
_UNIT_SHIFT, _FAMILY_SHIFT, _SHINGLE_SHIFT = 18, 15, 40
_MAX_UNITS = 1 << 22
_BUCKET_MASK = (1 << 15) - 1


class OverlapError(ValueError):
    """Invalid input for the engine: ``code`` is stable, the message Vietnamese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Activity:
    """One activity as the engine sees it (``id`` is returned as given)."""

    id: Any
    org: str
    kind: str
    title: str
    description: str
    units: tuple[str, ...]
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.kind not in KIND_FAMILY:
            raise OverlapError("unknown_kind", f"Loại hoạt động không hợp lệ: {self.kind!r}.")
        if self.end < self.start:
            raise OverlapError(
                "end_before_start",
                f"Ngày kết thúc {self.end.isoformat()} trước ngày bắt đầu "
                f"{self.start.isoformat()}.",
            )

    @property
    def family(self) -> str:
        return KIND_FAMILY[self.kind]


@dataclass(frozen=True, slots=True)
class PairReason:
    """Why two activities overlap."""

    ids: tuple[Any, Any]
    score: float
    similarity: float
    family: str
    shared_units: tuple[str, ...]
    contained_units: tuple[tuple[str, str], ...]  # (containing unit, contained unit)
    overlap_days: int  # days both ranges cover (0 when apart)
    gap_days: int  # days between the ranges (0 when they overlap)
    matched_words: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ids": list(self.ids),
            "score": self.score,
            "similarity": self.similarity,
            "family": self.family,
            "shared_units": list(self.shared_units),
            "contained_units": [list(p) for p in self.contained_units],
            "overlap_days": self.overlap_days,
            "gap_days": self.gap_days,
            "matched_words": list(self.matched_words),
        }

    def describe(self) -> str:
        """One readable Vietnamese sentence."""
        parts = []
        if self.shared_units:
            parts.append("cùng địa bàn " + ", ".join(self.shared_units))
        for outer, inner in self.contained_units:
            parts.append(f"{inner} thuộc {outer}")
        if self.overlap_days:
            parts.append(f"trùng {self.overlap_days} ngày")
        else:
            parts.append(f"cách nhau {self.gap_days} ngày")
        parts.append("cùng nhóm " + FAMILY_LABELS[self.family].lower())
        if self.matched_words:
            parts.append("từ trùng: " + ", ".join(self.matched_words))
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class OverlapGroup:
    """Connected overlapping activities, with the reasons of each pair."""

    ids: tuple[Any, ...]
    score: float
    reasons: tuple[PairReason, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ids": list(self.ids),
            "score": self.score,
            "reasons": [r.to_dict() for r in self.reasons],
        }


@dataclass(slots=True)
class UnitTree:
    """Unit containment from a child → parent map (unknown units are roots)."""

    parents: Mapping[str, str] = field(default_factory=dict)
    _anc: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def ancestors(self, unit: str) -> tuple[str, ...]:
        """Strict ancestors, nearest first (cycles are cut)."""
        hit = self._anc.get(unit)
        if hit is None:
            out: list[str] = []
            seen = {unit}
            cur = self.parents.get(unit)
            while cur is not None and cur not in seen:
                out.append(cur)
                seen.add(cur)
                cur = self.parents.get(cur)
            hit = self._anc[unit] = tuple(out)
        return hit

    def contains(self, outer: str, inner: str) -> bool:
        """True when ``outer`` is a strict ancestor of ``inner``."""
        return outer in self.ancestors(inner)


def unit_relation(
    units_a: Iterable[str], units_b: Iterable[str], tree: UnitTree
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """(shared units, (containing, contained) pairs) of two target-unit lists."""
    a, b = set(units_a), set(units_b)
    shared = tuple(sorted(a & b))
    contained = set()
    for x in a:
        for y in b:
            if x != y:
                if tree.contains(x, y):
                    contained.add((x, y))
                elif tree.contains(y, x):
                    contained.add((y, x))
    return shared, tuple(sorted(contained))


def date_relation(
    start_a: date | int, end_a: date | int, start_b: date | int, end_b: date | int
) -> tuple[int, int]:
    """(overlap days, gap days) of two inclusive date ranges."""
    sa = start_a if isinstance(start_a, int) else start_a.toordinal()
    ea = end_a if isinstance(end_a, int) else end_a.toordinal()
    sb = start_b if isinstance(start_b, int) else start_b.toordinal()
    eb = end_b if isinstance(end_b, int) else end_b.toordinal()
    inter = min(ea, eb) - max(sa, sb) + 1
    if inter > 0:
        return inter, 0
    return 0, max(sa, sb) - min(ea, eb)


def topic_shingles(
    title: str, description: str, analyzer: Analyzer | None = None
) -> tuple[list[str], list[str]]:
    """(title shingles, description-only shingles) used for the topic."""
    an = analyzer or _DEFAULT_ANALYZER
    t = an.shingles(title)[0]
    seen = set(t)
    d = [s for s in an.shingles(description)[0] if s not in seen]
    return t, d


_Feat = tuple[frozenset[str] | None, bool]
_NO_FEAT: _Feat = (None, False)


def _merge_feat(a: _Feat, b: _Feat) -> _Feat:
    if a is _NO_FEAT or a == _NO_FEAT:
        return b
    if b == _NO_FEAT:
        return a
    objs = a[0] | b[0] if a[0] is not None and b[0] is not None else (a[0] or b[0])
    return objs, a[1] or b[1]


_ANALYZED: dict[str, tuple[tuple[str, str], ...]] = {}
_ANALYZED_MAX = 4096
_TOPICAL: dict[str, bool] = {}
_TOPICAL_MAX = 200_000


def _analyzed(text: str) -> tuple[tuple[str, str], ...]:
    """``vntext.analyze(text, ACTION_PHRASES)``, memoised for the texts seen last (the
    reasons of one activity's pairs are built one after the other)."""
    hit = _ANALYZED.get(text)
    if hit is None:
        if len(_ANALYZED) >= _ANALYZED_MAX:
            _ANALYZED.clear()
        hit = _ANALYZED[text] = tuple(vntext.analyze(text, ACTION_PHRASES))
    return hit


def _run_topical(phrase: str) -> bool:
    """True when a run of shared words holds a non-generic word (memoised)."""
    hit = _TOPICAL.get(phrase)
    if hit is None:
        hit = any(w not in _GENERIC_KEYS for w in vntext.tokens(phrase))
        if len(_TOPICAL) < _TOPICAL_MAX:
            _TOPICAL[phrase] = hit
    return hit


class OverlapIndex:
    """Activities indexed for overlap look-ups; ``add``/``remove``/``suggest``.

    ``find_groups`` builds one in bulk; the web pages keep one per office and ask
    ``suggest(draft)`` while an activity is being edited.
    """

    def __init__(
        self,
        parents: Mapping[str, str] | None = None,
        window_days: int = DEFAULT_WINDOW_DAYS,
        threshold: float = DEFAULT_THRESHOLD,
        full_index_limit: int = FULL_INDEX_LIMIT,
        signals: Mapping[str, bool] | None = None,
        acronyms: Mapping[str, str] | None = None,
    ) -> None:
        if window_days < 0:
            raise OverlapError("bad_window", "Số ngày cửa sổ phải không âm.")
        self.tree = UnitTree(dict(parents or {}))
        self.window = window_days
        self.threshold = threshold
        self.full_index_limit = full_index_limit
        self.signals = dict(signals or {})
        self._an = Analyzer(signals, acronyms)
        # Learn acronyms from the first bulk load unless they were given.
        self._learn = acronyms is None and self._an.signals["learned_acronyms"]
        self._refuse = self._an.signals["refusal"]
        self._feat: list[_Feat] = []
        self._analyzed: dict[str, tuple[tuple[str, str], ...]] = {}
        # Records, by slot.
        self._ids: list[Any] = []
        self._org: list[str] = []
        self._fam: list[int] = []
        self._units: list[tuple[int, ...]] = []
        self._start: list[int] = []
        self._end: list[int] = []
        self._tsh: list[tuple[int, ...]] = []
        self._dsh: list[tuple[int, ...]] = []
        self._weight: list[float] = []
        self._keys: list[tuple[int, ...]] = []
        self._alive: list[bool] = []
        self._slot: dict[Any, int] = {}
        self._interned: dict[str, str] = {}
        # Vocabulary.
        self._sid: dict[str, int] = {}
        self._skey: list[str] = []
        self._df: list[int] = []
        self._mult: list[float] = []
        self._wt: list[float] = []  # current weight of each shingle
        self._keyable: list[bool] = []  # non-generic unigram: may be an index key
        self._wt_n = 0
        self._n = 0
        # Units.
        self._uid: dict[str, int] = {}
        self._ucode: list[str] = []
        self._probe_cache: dict[int, tuple[tuple[int, bool], ...]] = {}
        self._children: dict[str, list[str]] | None = None
        # Blocks: (unit, family, bucket) → slots. Blocks bigger than BIG_BLOCK are also
        # indexed by shingle: (shingle, unit, family, bucket) → slot or list of slots.
        self._blocks: dict[int, list[int]] = {}
        self._big: set[int] = set()
        self._post: dict[int, int | list[int]] = {}
        self._pre: list[tuple[int, ...]] = []
        self._kw: list[tuple[int, ...]] = []  # keyable shingles (prefilter)
        self._texts: list[tuple[str, str]] = []  # the same string objects as the records
        self._desc_cache: dict[str, tuple[tuple[int, ...], _Feat]] = {}  # description →

    # -- building -----------------------------------------------------------------

    def __len__(self) -> int:
        return self._n

    def _unit(self, code: str) -> int:
        u = self._uid.get(code)
        if u is None:
            u = self._uid[code] = len(self._ucode)
            if u >= _MAX_UNITS:
                raise OverlapError("too_many_units", "Quá nhiều đơn vị.")
            self._ucode.append(code)
        return u

    def _shingle_ids(self, shingles: list[str], grow: bool) -> tuple[int, ...]:
        known = tuple(map(self._sid.get, shingles))
        if None not in known:
            return known  # type: ignore[return-value]
        sid = self._sid
        out: list[int] = []
        for s in shingles:
            i = sid.get(s)
            if i is None:
                if not grow:
                    i = -1 - len(out)  # unknown to the index: matches nothing
                else:
                    i = sid[s] = len(self._skey)
                    self._skey.append(s)
                    self._df.append(0)
                    generic = all(w in _GENERIC_KEYS for w in s.split(" "))
                    mult = GENERIC_WEIGHT if generic else 1.0
                    if " " in s:
                        mult *= BIGRAM_WEIGHT
                    self._mult.append(mult)
                    self._wt.append(mult * math.log(2.0 + self._n + IDF_PRIOR_DOCS))
                    self._keyable.append(not generic and " " not in s)
            out.append(i)
        return tuple(out)

    def _store(
        self, rec: Activity, shingled: tuple[list[str], list[str], _Feat] | None = None
    ) -> int:
        if rec.id in self._slot:
            raise OverlapError("duplicate_id", f"Mã hoạt động bị trùng: {rec.id!r}.")
        if shingled is not None:
            tsh = self._shingle_ids(shingled[0], grow=True)
            dsh = self._shingle_ids(shingled[1], grow=True)
            feat = shingled[2]
        else:
            # topic_shingles, with the shingles of a description (often repeated) memoised.
            an = self._an
            tsh_s, feat = an.shingles(rec.title)
            tsh = self._shingle_ids(tsh_s, grow=True)
            cache = self._desc_cache
            hit = cache.get(rec.description)
            if hit is None:
                dsh_s, dfeat = an.shingles(rec.description)
                hit = (self._shingle_ids(dsh_s, grow=True), dfeat)
                if len(cache) < _DESC_CACHE_MAX:
                    cache[rec.description] = hit
            whole = hit[0]
            if hit[1] != _NO_FEAT:
                feat = _merge_feat(feat, hit[1])
            if tsh:
                in_title = set(tsh)
                dsh = tuple([s for s in whole if s not in in_title])
            else:
                dsh = whole
        df = self._df
        for s in tsh + dsh:
            df[s] += 1
        slot = len(self._ids)
        org = self._interned.setdefault(rec.org, rec.org)
        self._ids.append(rec.id)
        self._org.append(org)
        self._fam.append(_FAMILY_ID[KIND_FAMILY[rec.kind]])
        self._units.append(tuple(dict.fromkeys(self._unit(u) for u in rec.units)))
        self._start.append(rec.start.toordinal())
        self._end.append(rec.end.toordinal())
        self._tsh.append(tsh)
        self._dsh.append(dsh)
        self._weight.append(0.0)
        self._keys.append(())
        self._pre.append(())
        self._texts.append((rec.title, rec.description))
        self._feat.append(feat if feat != _NO_FEAT else _NO_FEAT)
        both = tsh + dsh
        self._kw.append(tuple(compress(both, map(self._keyable.__getitem__, both))))
        self._alive.append(True)
        self._slot[rec.id] = slot
        self._n += 1
        return slot

    def _refresh_weights(self) -> None:
        """Recompute shingle weights from the current frequencies."""
        n = self._n + IDF_PRIOR_DOCS
        log = math.log
        self._wt = [m * log(1.0 + n / (d or 1)) for m, d in zip(self._mult, self._df, strict=True)]
        self._wt_n = self._n

    def _idf(self, s: int) -> float:
        """Weight of a shingle: inverse document frequency, less for generic words."""
        if s < 0:
            return math.log(2.0 + self._n + IDF_PRIOR_DOCS)
        return self._wt[s]

    def _total_weight(self, tsh: tuple[int, ...], dsh: tuple[int, ...]) -> float:
        idf = self._idf
        return sum(map(idf, tsh)) + DESCRIPTION_WEIGHT * sum(map(idf, dsh))

    def _prefix(self, tsh: tuple[int, ...], dsh: tuple[int, ...]) -> list[int]:
        """Index keys of a text: its non-generic words, only the rarest in a big index."""
        keyable = self._keyable
        t = [s for s in tsh if s >= 0 and keyable[s]]
        d = [s for s in dsh if s >= 0 and keyable[s]]
        if self._n < self.full_index_limit:
            return t + d
        df = self._df.__getitem__
        if len(t) > PREFIX_TITLE:
            t.sort(key=df)
            del t[PREFIX_TITLE:]
        if len(d) > PREFIX_DESCRIPTION:
            d.sort(key=df)
            del d[PREFIX_DESCRIPTION:]
        return t + d

    def _buckets(self, start: int, end: int) -> range:
        return range(start // BUCKET_DAYS, end // BUCKET_DAYS + 1)

    def _post_prefix(self, slot: int, block: int) -> None:
        post = self._post
        for sh in self._pre[slot]:
            k = sh << _SHINGLE_SHIFT | block
            cur = post.get(k)
            if cur is None:
                post[k] = slot
            elif isinstance(cur, int):
                post[k] = [cur, slot]
            else:
                cur.append(slot)

    def _post_slot(self, slot: int) -> None:
        famk = self._fam[slot] << _FAMILY_SHIFT
        buckets = [b & _BUCKET_MASK for b in self._buckets(self._start[slot], self._end[slot])]
        self._pre[slot] = tuple(self._prefix(self._tsh[slot], self._dsh[slot]))
        blocks, big = self._blocks, self._big
        keys = []
        for u in self._units[slot]:
            base = u << _UNIT_SHIFT | famk
            for b in buckets:
                k = base | b
                keys.append(k)
                members = blocks.get(k)
                if members is None:
                    blocks[k] = [slot]
                    continue
                members.append(slot)
                if k in big:
                    self._post_prefix(slot, k)
                elif len(members) > BIG_BLOCK:
                    big.add(k)
                    for m in members:
                        self._post_prefix(m, k)
        self._keys[slot] = tuple(keys)

    def add(self, rec: Activity) -> None:
        """Index one activity (its weights use the frequencies known so far)."""
        slot = self._store(rec)
        self._desc_cache.clear()  # only bulk loading keeps it
        if self._n > 1.1 * self._wt_n + 10:
            self._refresh_weights()
        self._weight[slot] = self._total_weight(self._tsh[slot], self._dsh[slot])
        self._post_slot(slot)

    def add_all(self, records: Iterable[Activity], parallel: bool | None = None) -> None:
        """Index many activities at once (frequencies counted over all of them first).

        From ``PARALLEL_MIN`` records (or with ``parallel=True``) the texts are tokenised in
        forked worker processes; pass ``parallel=False`` inside a threaded server.
        """
        records = list(records)
        if parallel is None:
            parallel = len(records) >= PARALLEL_MIN
        if self._learn:
            self.learn_acronyms(records)
        with _gc_paused():
            if parallel and _workers() > 1:
                slots = [
                    self._store(rec, shingled)
                    for rec, shingled in zip(
                        records, _parallel_shingles(records, self._an), strict=True
                    )
                ]
            else:
                slots = [self._store(rec) for rec in records]
            self._finish_bulk(slots)

    def learn_acronyms(self, records: Iterable[Activity]) -> dict[str, str]:
        """Learns the acronyms of ``records`` (see ``learn_acronyms``); the texts indexed
        from now on are read with them. Done once, by the first bulk load."""
        learned = learn_acronyms(t for r in records for t in (r.title, r.description) if t)
        self._an = Analyzer(self.signals, learned)
        self._learn = False
        return learned

    @property
    def acronyms(self) -> dict[str, str]:
        """The learned acronyms in use: {acronym: expansion}."""
        return dict(self._an.acronyms)

    def _finish_bulk(self, slots: list[int]) -> None:
        self._desc_cache.clear()
        self._refresh_weights()
        wt = self._wt.__getitem__
        weight, tshs, dshs = self._weight, self._tsh, self._dsh
        for slot in slots:
            weight[slot] = sum(map(wt, tshs[slot])) + DESCRIPTION_WEIGHT * sum(map(wt, dshs[slot]))
        for slot in slots:
            self._post_slot(slot)

    def remove(self, activity_id: Any) -> bool:
        """Forget an activity; False when it was not indexed."""
        slot = self._slot.pop(activity_id, None)
        if slot is None:
            return False
        post = self._post
        for block in self._keys[slot]:
            members = self._blocks[block]
            members.remove(slot)
            if not members:
                del self._blocks[block]
            if block not in self._big:
                continue
            for sh in self._pre[slot]:
                k = sh << _SHINGLE_SHIFT | block
                cur = post.get(k)
                if cur == slot:
                    del post[k]
                elif isinstance(cur, list) and slot in cur:
                    cur.remove(slot)
                    if len(cur) == 1:
                        post[k] = cur[0]
        for s in self._tsh[slot] + self._dsh[slot]:
            self._df[s] -= 1
        self._alive[slot] = False
        self._keys[slot] = ()
        self._pre[slot] = ()
        self._kw[slot] = ()
        self._texts[slot] = ("", "")
        self._n -= 1
        return True

    # -- look-ups -----------------------------------------------------------------

    def _probe_units(self, u: int) -> tuple[tuple[int, bool], ...]:
        hit = self._probe_cache.get(u)
        if hit is None:
            anc = self.tree.ancestors(self._ucode[u])
            hit = ((u, True), *((self._unit(a), False) for a in anc))
            self._probe_cache[u] = hit
        return hit

    def _similarity(
        self,
        tsh_a: tuple[int, ...],
        dsh_a: tuple[int, ...],
        w_a: float,
        tsh_b: tuple[int, ...],
        dsh_b: tuple[int, ...],
        w_b: float,
    ) -> tuple[float, set[int]]:
        if w_a <= 0 or w_b <= 0:
            return 0.0, set()
        ta, da = set(tsh_a), set(dsh_a)
        idf = self._wt.__getitem__
        shared_weight = 0.0
        shared: set[int] = set()
        for s in tsh_b:
            if s < 0:
                continue
            if s in ta:
                shared_weight += idf(s)
                shared.add(s)
            elif s in da:
                shared_weight += DESCRIPTION_WEIGHT * idf(s)
                shared.add(s)
        for s in dsh_b:
            if s >= 0 and (s in ta or s in da):
                shared_weight += DESCRIPTION_WEIGHT * idf(s)
                shared.add(s)
        return shared_weight / math.sqrt(w_a * w_b), shared

    def _score(self, sim: float, overlap_days: int, gap: int, shared_unit: bool) -> float:
        t = self.threshold
        topic = min(1.0, 0.5 + 0.5 * (sim - t) / (1.0 - t)) if t < 1 else 1.0
        dates = 1.0 if overlap_days else 1.0 - 0.5 * gap / (self.window + 1)
        units = 1.0 if shared_unit else 0.8
        return round(topic * (0.8 + 0.1 * dates + 0.1 * units), 4)

    def _matched_words(
        self,
        tsh: tuple[int, ...],
        dsh: tuple[int, ...],
        shared: set[int],
        texts: tuple[str, str] | None = None,
    ) -> tuple[str, ...]:
        """Shared words as phrases, in the order and the spelling of the first text."""
        phrases: list[str] = []
        run: list[str] = []
        skey = self._skey
        if texts is not None:
            # Runs of shared words; a run of generic words only ("hội viên") is left out.
            keys = {skey[s] for s in shared if s >= 0}
            topical = False
            for text in texts:
                for key, pretty in self._analyze(text):
                    if key in keys:
                        if pretty:
                            run.append(pretty)
                        topical = topical or key not in _GENERIC_KEYS
                        continue
                    if run and topical:
                        phrases.append(" ".join(run))
                    run, topical = [], False
                if run and topical:
                    phrases.append(" ".join(run))
                run, topical = [], False
            return tuple(dict.fromkeys(phrases))
        for s in tsh + dsh:
            key = skey[s] if s >= 0 else ""
            if " " in key or not key:
                continue
            if s in shared:
                run.append(vntext.readable(key))
            elif run:
                phrases.append(" ".join(run))
                run = []
        if run:
            phrases.append(" ".join(run))
        return tuple(dict.fromkeys(phrases))

    def _gather(
        self,
        prefix: Iterable[int],
        fam: int,
        units: Iterable[int],
        start: int,
        end: int,
    ) -> list[int]:
        """Slots in the blocks of ``units`` × ``fam`` × the buckets of the widened dates.

        Big blocks are only searched under the shingles of ``prefix``.
        """
        blocks, big, post = self._blocks, self._big, self._post
        famk = fam << _FAMILY_SHIFT
        buckets = [b & _BUCKET_MASK for b in self._buckets(start - self.window, end + self.window)]
        shifted: list[int] | None = None
        out: list[int] = []
        for u in units:
            base = u << _UNIT_SHIFT | famk
            for b in buckets:
                k = base | b
                members = blocks.get(k)
                if members is None:
                    continue
                if k not in big:
                    out.extend(members)
                    continue
                if shifted is None:
                    shifted = [sh << _SHINGLE_SHIFT for sh in prefix]
                for hit in map(post.get, [sh | k for sh in shifted]):
                    if hit is None:
                        continue
                    if isinstance(hit, int):
                        out.append(hit)
                    else:
                        out.extend(hit)
        return out

    def _check(
        self,
        org: str,
        start: int,
        end: int,
        tsh: tuple[int, ...],
        dsh: tuple[int, ...],
        weight: float,
        j: int,
    ) -> tuple[float, int, int, set[int]] | None:
        """(similarity, overlap days, gap days, shared shingles) or None."""
        if self._org[j] == org or not self._alive[j]:
            return None
        sj, ej = self._start[j], self._end[j]
        inter = min(end, ej) - max(start, sj) + 1
        gap = 0 if inter > 0 else max(start, sj) - min(end, ej)
        if gap > self.window:
            return None
        wj = self._weight[j]
        t2 = self.threshold * self.threshold
        if weight <= 0 or wj <= 0 or min(weight, wj) < t2 * max(weight, wj):
            return None
        sim, shared = self._similarity(tsh, dsh, weight, self._tsh[j], self._dsh[j], wj)
        if sim < self.threshold:
            return None
        return sim, max(inter, 0), gap, shared

    def _reason(
        self,
        id_a: Any,
        units_a: tuple[str, ...],
        tsh: tuple[int, ...],
        dsh: tuple[int, ...],
        fam: int,
        j: int,
        found: tuple[float, int, int, set[int]],
        texts: tuple[str, str] | None = None,
    ) -> PairReason:
        sim, inter, gap, shared = found
        units_b = tuple(self._ucode[u] for u in self._units[j])
        shared_units, contained = unit_relation(units_a, units_b, self.tree)
        return PairReason(
            ids=(id_a, self._ids[j]),
            score=self._score(sim, inter, gap, bool(shared_units)),
            similarity=round(min(sim, 1.0), 4),
            family=FAMILIES[fam],
            shared_units=shared_units,
            contained_units=contained,
            overlap_days=inter,
            gap_days=gap,
            matched_words=self._matched_words(tsh, dsh, shared, texts),
        )

    def _analyze(self, text: str) -> tuple[tuple[str, str], ...]:
        """``Analyzer.analyze``, memoised for the texts seen last."""
        hit = self._analyzed.get(text)
        if hit is None:
            if len(self._analyzed) >= _ANALYZED_MAX:
                self._analyzed.clear()
            hit = self._analyzed[text] = tuple(self._an.analyze(text))
        return hit

    def _descendants(self, code: str) -> list[str]:
        if self._children is None:
            children: dict[str, list[str]] = {}
            for child, parent in self.tree.parents.items():
                children.setdefault(parent, []).append(child)
            self._children = children
        out, stack, seen = [], [code], {code}
        while stack:
            for c in self._children.get(stack.pop(), ()):
                if c not in seen:
                    seen.add(c)
                    out.append(c)
                    stack.append(c)
        return out

    def suggest(self, draft: Activity, limit: int = 20) -> list[PairReason]:
        """Indexed activities of other organizations that overlap ``draft``.

        ``draft`` need not be indexed; an indexed activity with the same id is ignored
        (the activity being edited). Most certain first; ``ids`` = (draft id, other id).
        """
        t, feat = self._an.shingles(draft.title)
        d_all, dfeat = self._an.shingles(draft.description)
        seen_t = set(t)
        d = [x for x in d_all if x not in seen_t]
        feat = _merge_feat(feat, dfeat)
        tsh = self._shingle_ids(t, grow=False)
        dsh = self._shingle_ids(d, grow=False)
        weight = self._total_weight(tsh, dsh)
        fam = _FAMILY_ID[draft.family]
        start, end = draft.start.toordinal(), draft.end.toordinal()
        probe: dict[int, None] = {}
        for code in draft.units:
            for c in (code, *self.tree.ancestors(code), *self._descendants(code)):
                u = self._uid.get(c)
                if u is not None:
                    probe[u] = None
        skip = self._slot.get(draft.id)
        seen: set[int] = set()
        out: list[tuple[float, int, tuple[float, int, int, set[int]]]] = []
        own_units = {u for c in draft.units if (u := self._uid.get(c)) is not None}
        keyable = self._keyable
        mine = {s for s in tsh + dsh if s >= 0 and keyable[s]}
        for j in self._gather(mine, fam, probe, start, end):
            if j in seen or j == skip:
                continue
            seen.add(j)
            if mine.isdisjoint(self._tsh[j]) and mine.isdisjoint(self._dsh[j]):
                continue
            found = self._check(draft.org, start, end, tsh, dsh, weight, j)
            if found is not None and not (self._refuse and refused(feat, self._feat[j])):
                shared_unit = not own_units.isdisjoint(self._units[j])
                out.append((self._score(found[0], found[1], found[2], shared_unit), j, found))
        out.sort(key=lambda t: (-t[0], t[1]))
        # Reasons (matched words as the other activity writes them) for those shown only.
        return [
            self._reason(draft.id, draft.units, tsh, dsh, fam, j, found, self._texts[j])
            for _score, j, found in out[:limit]
        ]

    def _raw_pairs(self, part: int = 0, parts: int = 1) -> list[_Raw]:
        """Overlapping pairs (a < b, similarity, overlap, gap, shared) for slots ≡ part.

        A pair may come twice (once from each side); ``pairs`` keeps one.
        """
        found: list[_Raw] = []
        alive, kws = self._alive, self._kw
        tshs, dshs, weights, wt = self._tsh, self._dsh, self._weight, self._wt
        starts, ends, orgs = self._start, self._end, self._org
        w = self.window
        threshold = self.threshold
        t2 = threshold * threshold
        half = DESCRIPTION_WEIGHT
        sqrt = math.sqrt
        probe_of: dict[tuple[int, ...], tuple[int, ...]] = {}
        refuse, feats = self._refuse, self._feat
        for i in range(part, len(self._ids), parts):
            if not alive[i]:
                continue
            tsh, dsh, weight = tshs[i], dshs[i], weights[i]
            if weight <= 0:
                continue  # nothing can reach the threshold (see _check)
            org, start, end = orgs[i], starts[i], ends[i]
            lo, hi = start - w, end + w
            own = self._units[i]
            units = probe_of.get(own)
            if units is None:
                probe: dict[int, None] = {}
                for u in own:
                    for v, _own in self._probe_units(u):
                        probe[v] = None
                units = probe_of[own] = tuple(probe)
            mine = set(kws[i])
            seen: set[int] = {i}
            ta: set[int] | None = None
            da: set[int] = set()
            # The checks of _check and _similarity, inlined (same order, same sums).
            for j in self._gather(self._pre[i], self._fam[i], units, start, end):
                if j in seen:
                    continue
                seen.add(j)
                sj, ej = starts[j], ends[j]
                if sj > hi or ej < lo or orgs[j] is org or mine.isdisjoint(kws[j]):
                    continue
                if orgs[j] == org or not alive[j]:
                    continue
                inter = min(end, ej) - max(start, sj) + 1
                gap = 0 if inter > 0 else max(start, sj) - min(end, ej)
                if gap > w:
                    continue
                wj = weights[j]
                if wj <= 0 or min(weight, wj) < t2 * max(weight, wj):
                    continue
                if ta is None:
                    ta, da = set(tsh), set(dsh)
                shared_weight = 0.0
                shared: list[int] = []
                for s in tshs[j]:
                    if s < 0:
                        continue
                    if s in ta:
                        shared_weight += wt[s]
                        shared.append(s)
                    elif s in da:
                        shared_weight += half * wt[s]
                        shared.append(s)
                for s in dshs[j]:
                    if s >= 0 and (s in ta or s in da):
                        shared_weight += half * wt[s]
                        shared.append(s)
                sim = shared_weight / sqrt(weight * wj)
                if sim < threshold:
                    continue
                if refuse and refused(feats[i], feats[j]):
                    continue
                a, b2 = (i, j) if i < j else (j, i)
                found.append((a, b2, sim, max(inter, 0), gap, tuple(shared)))
        return found

    def pairs(self) -> list[tuple[int, int, PairReason]]:
        """Every overlapping pair of indexed activities as (slot, slot, reason)."""
        with _gc_paused():
            if self._n >= PARALLEL_MIN and _workers() > 1:
                raw = _parallel_pairs(self)
            else:
                raw = self._raw_pairs()
            first: dict[tuple[int, int], _Raw] = {}
            for item in raw:
                first.setdefault((item[0], item[1]), item)
            del raw
            out: list[tuple[int, int, PairReason]] = []
            for (a, b), (_, _, sim, inter, gap, shared) in sorted(first.items()):
                units_a = tuple(self._ucode[x] for x in self._units[a])
                reason = self._reason(
                    self._ids[a],
                    units_a,
                    self._tsh[a],
                    self._dsh[a],
                    self._fam[a],
                    b,
                    (sim, inter, gap, set(shared)),
                    self._texts[a],
                )
                out.append((a, b, reason))
        return out

    def groups(self) -> list[OverlapGroup]:
        """Connected groups of overlapping pairs, most certain first."""
        return _make_groups(self.pairs(), self._ids)


def _make_groups(pairs: list[tuple[int, int, PairReason]], ids: list[Any]) -> list[OverlapGroup]:
    """Connected components of the pairs of positions (arrays; a component is named by its
    smallest position); groups most certain first, then input order; a group's reasons
    most certain first, then by position."""
    if not pairs:
        return []
    m = len(pairs)
    a = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=m)
    b = np.fromiter((p[1] for p in pairs), dtype=np.int64, count=m)
    reasons = [p[2] for p in pairs]
    scores = [r.score for r in reasons]
    nodes, inv = np.unique(np.concatenate([a, b]), return_inverse=True)
    ai, bi = inv[:m], inv[m:]
    label = np.arange(len(nodes), dtype=np.int64)
    while True:  # smallest label of each component: propagate, then jump pointers
        low = np.minimum(label[ai], label[bi])
        new = label.copy()
        np.minimum.at(new, ai, low)
        np.minimum.at(new, bi, low)
        new = new[new]
        if np.array_equal(new, label):
            break
        label = new
    group_of_pair = label[ai]
    order = np.lexsort((b, a, -np.array(scores), group_of_pair))
    g_sorted = group_of_pair[order]
    cut = np.flatnonzero(np.diff(g_sorted)) + 1
    p_lo = np.concatenate([[0], cut]).tolist()
    p_hi = np.concatenate([cut, [m]]).tolist()
    n_order = np.lexsort((nodes, label))
    l_sorted = label[n_order]
    cut = np.flatnonzero(np.diff(l_sorted)) + 1
    n_lo = np.concatenate([[0], cut]).tolist()
    n_hi = np.concatenate([cut, [len(nodes)]]).tolist()
    order_l = order.tolist()
    reasons = [reasons[i] for i in order_l]
    scores = [scores[i] for i in order_l]
    slots = nodes[n_order].tolist()
    out = []
    for lo, hi, nlo, nhi in zip(p_lo, p_hi, n_lo, n_hi, strict=True):
        members = slots[nlo:nhi]
        score = round(sum(scores[lo:hi]) / (hi - lo), 4)
        out.append((score, members[0], members, tuple(reasons[lo:hi])))
    out.sort(key=lambda t: (-t[0], t[1]))
    get = ids.__getitem__
    return [
        OverlapGroup(ids=tuple(map(get, members)), score=score, reasons=rs)
        for score, _, members, rs in out
    ]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Bulk work allocates millions of small objects: the cyclic GC only slows it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_IN_WORKER = False


def _workers() -> int:
    if _IN_WORKER or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(2, os.cpu_count() or 1)


_CHUNK_ANALYZER: Analyzer | None = None


def _shingle_chunk(texts: list[tuple[str, str]]) -> list[tuple[str, _Feat]]:
    an = _CHUNK_ANALYZER or _DEFAULT_ANALYZER
    out = []
    for title, description in texts:
        t, feat = an.shingles(title)
        d_all, dfeat = an.shingles(description)
        seen = set(t)
        d = [x for x in d_all if x not in seen]
        out.append(("|".join(t) + "\n" + "|".join(d), _merge_feat(feat, dfeat)))
    return out


def _parallel_shingles(
    records: list[Activity], analyzer: Analyzer
) -> Iterator[tuple[list[str], list[str], _Feat]]:
    """topic_shingles (and features) of many records, computed by worker processes."""
    global _CHUNK_ANALYZER
    chunk = 2000
    jobs = [
        [(r.title, r.description) for r in records[k : k + chunk]]
        for k in range(0, len(records), chunk)
    ]
    _CHUNK_ANALYZER = analyzer
    try:
        with multiprocessing.get_context("fork").Pool(_workers()) as pool:
            for result in pool.imap(_shingle_chunk, jobs):
                for packed, feat in result:
                    t, d = packed.split("\n")
                    yield (t.split("|") if t else []), (d.split("|") if d else []), feat
    finally:
        _CHUNK_ANALYZER = None


_FORKED: OverlapIndex | None = None


def _pairs_part(part: int) -> list[_Raw]:
    assert _FORKED is not None
    return _FORKED._raw_pairs(part, 2)


def _parallel_pairs(index: OverlapIndex) -> list[_Raw]:
    """_raw_pairs split between this process and one forked child."""
    global _FORKED
    _FORKED = index
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            child = pool.apply_async(_pairs_part, (1,))
            mine = index._raw_pairs(0, 2)
            return mine + child.get()
    finally:
        _FORKED = None


def _partitions(records: list[Activity], tree: UnitTree, parts: int) -> list[list[int]]:
    """Positions of the records of each part; parts are whole top-level units (overlaps
    never cross them), balanced greedily by size. A record under several top-level units
    is in each of their parts."""
    n = len(records)
    lists: dict[tuple[str, ...], int] = {}
    list_of = np.fromiter((lists.setdefault(r.units, len(lists)) for r in records), np.int64, n)
    roots_of = [sorted({(tree.ancestors(u) or (u,))[-1] for u in units} or {""}) for units in lists]
    root_id: dict[str, int] = {}
    for roots in roots_of:
        for r in roots:
            root_id.setdefault(r, len(root_id))
    per_list = np.bincount(list_of, minlength=len(lists))
    size = [0] * len(root_id)
    for k, roots in enumerate(roots_of):
        for r in roots:
            size[root_id[r]] += int(per_list[k])
    load = [0] * parts
    part_of_root = [0] * len(root_id)
    for r in sorted(root_id, key=lambda r: (-size[root_id[r]], r)):
        k = load.index(min(load))
        part_of_root[root_id[r]] = k
        load[k] += size[root_id[r]]
    # Each unit list's parts (mostly one).
    first = np.array([part_of_root[root_id[roots[0]]] for roots in roots_of], dtype=np.int64)
    part_of = first[list_of]
    out = [np.flatnonzero(part_of == k) for k in range(parts)]
    multi = {
        k: {part_of_root[root_id[r]] for r in roots}
        for k, roots in enumerate(roots_of)
        if len(roots) > 1
    }
    if multi:
        for li, ks in multi.items():
            at = np.flatnonzero(list_of == li)
            for k in ks:
                out[k] = np.union1d(out[k], at)
    return [p.tolist() for p in out]


_FORK_ARGS: tuple[Any, ...] | None = None


def _partition_worker(k: int, conn: Any) -> None:
    """In a forked child: index part k, trade word counts with the parent, find pairs."""
    global _IN_WORKER
    _IN_WORKER = True
    assert _FORK_ARGS is not None
    records, parts, primary, parents, window_days, threshold, _limit, signals, acr = _FORK_ARGS
    positions = parts[k]

    def exchange(bulk: Any) -> None:
        # Word counts: a record that sits in several parts counts in one only.
        counted = primary[np.array(positions, dtype=np.int64)] == k
        conn.send((bulk.local_df(counted), len(positions)))
        global_df, n_total = conn.recv()
        bulk.set_df(global_df, n_total)

    with _gc_paused():
        found = _bulk_pairs(
            [records[p] for p in positions], parents, window_days, threshold, signals, acr,
            exchange,
        )  # fmt: skip
        pairs = [(positions[a], positions[b], r) for a, b, r in found]
    conn.send(pairs)
    conn.close()


def _partitioned_pairs(
    records: list[Activity],
    parents: Mapping[str, str] | None,
    window_days: int,
    threshold: float,
    full_index_limit: int,
    signals: Mapping[str, bool] | None = None,
) -> list[tuple[int, int, PairReason]] | None:
    """Pairs of positions computed by one forked process per part, or None if one part."""
    from khoi.lib import overlap_bulk

    global _FORK_ARGS
    timing: dict[str, float] = {}
    clock = [time.process_time()]

    def tick(stage: str) -> None:
        now = time.process_time()
        timing[stage] = round(now - clock[0], 3)
        clock[0] = now

    n_parts = _workers()
    tree = UnitTree(dict(parents or {}))
    parts = [p for p in _partitions(records, tree, n_parts) if p]
    tick("partitions")
    if len(parts) < 2:
        return None
    primary = np.zeros(len(records), dtype=np.int64)
    for k in range(len(parts) - 1, -1, -1):
        primary[np.array(parts[k], dtype=np.int64)] = k
    ctx = multiprocessing.get_context("fork")
    with suppress(ImportError):
        import pyarrow.compute  # noqa: F401  (loaded once here: the forked workers share it)
    acronyms: dict[str, str] = {}
    if (signals or {}).get("learned_acronyms", True):
        acronyms = learn_acronyms(t for r in records for t in (r.title, r.description) if t)
    tick("acronyms")
    _FORK_ARGS = (
        records, parts, primary, parents, window_days, threshold, full_index_limit, signals,
        acronyms,
    )  # fmt: skip
    try:
        conns, procs = [], []
        for k in range(len(parts)):
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=_partition_worker, args=(k, theirs), daemon=True)
            proc.start()
            conns.append(mine)
            procs.append(proc)
        local = [conn.recv()[0] for conn in conns]
        for conn, df in zip(conns, overlap_bulk.pool_df(local), strict=True):
            conn.send((df, len(records)))
        del local
        tick("word counts")
        found: dict[tuple[int, int], PairReason] = {}
        for conn in conns:
            got = conn.recv()
            tick("receiving pairs")
            for a, b, r in got:
                found.setdefault((a, b), r)
            tick("merging pairs")
        for proc in procs:
            proc.join()
            if proc.exitcode != 0:
                raise RuntimeError(f"overlap worker failed (exit code {proc.exitcode})")
    finally:
        _FORK_ARGS = None
    out = [(a, b, r) for (a, b), r in sorted(found.items())]
    tick("sorting pairs")
    if os.environ.get("KHOI_OVERLAP_TIMING"):
        print(f"overlap parent: CPU s {timing}", file=sys.stderr)
    return out


def find_groups(
    records: Iterable[Activity],
    parents: Mapping[str, str] | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    threshold: float = DEFAULT_THRESHOLD,
    full_index_limit: int = FULL_INDEX_LIMIT,
    parallel: bool | None = None,
    signals: Mapping[str, bool] | None = None,
) -> list[OverlapGroup]:
    """Overlap groups among ``records``, most certain first (see the module docstring).

    Big inputs (``PARALLEL_MIN`` records or more, or ``parallel=True``) are split by
    top-level unit between forked processes; word frequencies stay global, so the result
    is the same as in one process.
    """
    records = list(records)
    if parallel is None:
        parallel = len(records) >= PARALLEL_MIN
    if parallel and _workers() > 1:
        ids = [r.id for r in records]
        if len(set(ids)) != len(ids):
            raise OverlapError("duplicate_id", "Mã hoạt động bị trùng.")
        with _gc_paused():
            pairs = _partitioned_pairs(
                records, parents, window_days, threshold, full_index_limit, signals
            )
        if pairs is not None:
            clock = time.process_time()
            with _gc_paused():
                groups = _make_groups(pairs, ids)
            if os.environ.get("KHOI_OVERLAP_TIMING"):
                print(f"overlap parent: groups {time.process_time() - clock:.3f} CPU s",
                      file=sys.stderr)  # fmt: skip
            return groups
    ids = [r.id for r in records]
    if len(set(ids)) != len(ids):
        seen: set[Any] = set()
        dup = next(x for x in ids if x in seen or seen.add(x))  # type: ignore[func-returns-value]
        raise OverlapError("duplicate_id", f"Mã hoạt động bị trùng: {dup!r}.")
    with _gc_paused():
        pairs = _bulk_pairs(records, parents, window_days, threshold, signals)
        return _make_groups(pairs, ids)


def _bulk_pairs(
    records: list[Activity],
    parents: Mapping[str, str] | None,
    window_days: int,
    threshold: float,
    signals: Mapping[str, bool] | None,
    acronyms: Mapping[str, str] | None = None,
    exchange: Any = None,
) -> list[tuple[int, int, PairReason]]:
    """Overlapping pairs of positions of ``records``, by the vectorised scan
    (``khoi.lib.overlap_bulk``)."""
    from khoi.lib import overlap_bulk

    if window_days < 0:
        raise OverlapError("bad_window", "Số ngày cửa sổ phải không âm.")
    if acronyms is None:
        acronyms = {}
        if (signals or {}).get("learned_acronyms", True):
            acronyms = learn_acronyms(t for r in records for t in (r.title, r.description) if t)
    if not records:
        return []
    analyzer = Analyzer(signals, acronyms)
    tree = UnitTree(dict(parents or {}))
    return overlap_bulk.scan(records, tree, analyzer, window_days, threshold, exchange)


def records_under(
    records: Iterable[Activity], parents: Mapping[str, str], root: str
) -> list[Activity]:
    """The records with a target unit in ``root``'s subtree (``root`` itself included)."""
    tree = UnitTree(dict(parents))
    return [r for r in records if any(u == root or root in tree.ancestors(u) for u in r.units)]


def find_groups_under(
    records: Iterable[Activity], parents: Mapping[str, str], root: str, **kwargs: Any
) -> list[OverlapGroup]:
    """``find_groups`` on one top-level unit's records (a province of a national scan, e.g.
    one background task per province). Overlaps never cross top-level units, so the
    provinces' groups together are the national groups; word weights and learned acronyms
    come from the province's own texts, so a score may differ slightly from the national
    run's."""
    return find_groups(records_under(records, parents, root), parents, **kwargs)
