# ruff: noqa: E501
"""Hand-written plan entries of the Front and the five organizations of a town's communes.

Written the way each organization's staff write their yearly and monthly plans (Quảng Yên
style, 2017), NOT generated from the engine's phrase lists or vocabulary: every text below
was typed as data. ``realstyle.py`` places them in communes and weeks and writes
``realstyle.jsonl`` with the labels.

- ``PURPOSES``: one purpose each, written by 2–4 organizations in their own words
  (paraphrases, acronyms, missing diacritics, old tone placement). Every pair of entries
  of one purpose placed in the same commune and fortnight is a true overlap.
- ``NEGATIVES``: sets of entries placed together (same commune, same week, same kind
  family, different organizations) that are NOT the same purpose; the three hard kinds of
  the issue: "phòng, chống …" about different dangers (``phong_chong``), organizations'
  own internal emulation reviews (``internal``), unrelated activities that share only a
  place or an audience (``place``); plus the organizations' own anniversaries and
  meetings (``own``).
- ``BACKGROUND``: single activities of every kind, placed next to the purposes.

Entries are ``(org, kind, title, description)``; org is one of MT (Ủy ban MTTQ), PN (Hội
LHPN), DTN (Đoàn Thanh niên), ND (Hội Nông dân), CCB (Hội Cựu chiến binh), CD (Công đoàn).
Purpose names starting with "H" and negatives/background marked "heldout" are the
held-out split: never used to tune the engine.
"""

from __future__ import annotations

Entry = tuple[str, str, str, str]

PURPOSES: dict[str, list[Entry]] = {
    # ---------------------------------------------------------------- dev split
    "vsattp": [
        (
            "PN",
            "propaganda",
            "Tuyên truyền VSATTP cho hội viên phụ nữ dịp Tết Nguyên đán",
            "Lồng ghép trong sinh hoạt chi hội; phát tờ rơi hướng dẫn chọn mua thực phẩm.",
        ),
        (
            "MT",
            "propaganda",
            "Tuyên truyền bảo đảm vệ sinh an toàn thực phẩm dịp Tết Đinh Dậu",
            "Phối hợp Trạm Y tế xã, Ban văn hóa xã; treo băng rôn tại chợ.",
        ),
        (
            "ND",
            "training",
            "Tập huấn kiến thức vệ sinh an toàn thực phẩm cho hộ kinh doanh ăn uống",
            "",
        ),
    ],
    "xkld": [
        (
            "DTN",
            "propaganda",
            "Tư vấn XKLĐ cho thanh niên",
            "Phối hợp Trung tâm dịch vụ việc làm tỉnh tư vấn cho ĐVTN trong độ tuổi lao động.",
        ),
        (
            "ND",
            "training",
            "Giới thiệu việc làm ở nước ngoài cho con em hội viên",
            "Hội thảo đi làm việc tại Nhật Bản, Hàn Quốc theo hợp đồng.",
        ),
        ("MT", "propaganda", "Hội nghị tư vấn xuất khẩu lao động năm 2017", ""),
        ("PN", "propaganda", "Tuyen truyen, tu van xuat khau lao dong cho hoi vien va con em", ""),
    ],
    "khhgd": [
        (
            "PN",
            "propaganda",
            "Truyền thông dân số - KHHGĐ cho phụ nữ trong độ tuổi sinh đẻ",
            "Nói chuyện chuyên đề, cấp phát tài liệu về các biện pháp tránh thai.",
        ),
        (
            "MT",
            "mobilisation",
            "Vận động các gia đình thực hiện chính sách dân số, kế hoạch hóa gia đình",
            "Không sinh con thứ ba; đưa vào tiêu chí bình xét khu dân cư văn hóa.",
        ),
        (
            "DTN",
            "propaganda",
            "Nói chuyện về dân số, kế hoạch hoá gia đình cho đoàn viên sắp lập gia đình",
            "",
        ),
    ],
    "tnxh": [
        (
            "DTN",
            "propaganda",
            "Tuyên truyền phòng chống TNXH trong thanh thiếu niên",
            "Tập trung ma túy, cờ bạc, đua xe trái phép.",
        ),
        (
            "CCB",
            "mobilisation",
            "Vận động hội viên tham gia phòng, chống tệ nạn xã hội ở khu dân cư",
            "",
        ),
        ("MT", "propaganda", "Tuyên truyền phòng ngừa tệ nạn xã hội tại các thôn", ""),
    ],
    "ao_am": [
        (
            "DTN",
            "support",
            "Trao áo ấm mùa đông cho học sinh vùng khó khăn",
            "Chương trình 'Áo ấm cho em' của Đoàn.",
        ),
        (
            "PN",
            "support",
            "Tặng quà cho trẻ em nghèo dịp đông về",
            "Vận động hội viên quyên góp quần áo, chăn ấm.",
        ),
        ("MT", "support", "Trao tặng chăn, áo rét cho các cháu học sinh có hoàn cảnh khó khăn", ""),
    ],
    "bo_giong": [
        ("ND", "support", "Hỗ trợ bò giống giúp hộ nghèo phát triển kinh tế", ""),
        (
            "PN",
            "support",
            "Trao con giống, tạo sinh kế cho hộ nghèo",
            "Mỗi hộ 01 con lợn nái hoặc 20 con gà giống.",
        ),
        ("MT", "support", "Hỗ trợ con giống, vật nuôi cho hộ nghèo thoát nghèo bền vững", ""),
        ("CCB", "support", "Trao tặng bò sinh sản cho hội viên CCB thuộc hộ nghèo", ""),
    ],
    "kenh_muong": [
        (
            "DTN",
            "mobilisation",
            "Dọn vệ sinh kênh mương, khơi thông dòng chảy",
            "Đoàn viên ra quân ngày Chủ nhật.",
        ),
        ("ND", "mobilisation", "Ra quân nạo vét kênh tiêu thủy lợi phục vụ sản xuất vụ chiêm", ""),
        ("CCB", "mobilisation", "Vận động hội viên làm thuỷ lợi nội đồng, nạo vét kênh mương", ""),
    ],
    "atgt": [
        (
            "DTN",
            "propaganda",
            "Tuyên truyền đội mũ bảo hiểm, chấp hành luật giao thông cho học sinh",
            "",
        ),
        (
            "PN",
            "propaganda",
            "Tuyên truyền ATGT, đội mũ bảo hiểm cho trẻ em ngồi sau xe máy",
            "Ký cam kết với phụ huynh.",
        ),
        (
            "MT",
            "propaganda",
            "Tuyên truyền bảo đảm trật tự an toàn giao thông",
            "Treo khẩu hiệu, phát thanh trên loa truyền thanh xã.",
        ),
    ],
    "blgd": [
        ("PN", "propaganda", "Truyền thông phòng, chống bạo lực gia đình tại khu dân cư", ""),
        (
            "MT",
            "propaganda",
            "Tuyên truyền Luật Phòng, chống BLGĐ; xây dựng gia đình no ấm, tiến bộ",
            "",
        ),
        (
            "CCB",
            "propaganda",
            "Hoi nghi tuyen truyen phong chong bao luc gia dinh cho hoi vien",
            "",
        ),
    ],
    "nguoi_co_cong": [
        (
            "MT",
            "support",
            "Thăm, tặng quà gia đình chính sách nhân kỷ niệm 70 năm Ngày Thương binh - Liệt sỹ",
            "",
        ),
        ("CCB", "support", "Thăm hỏi, trao quà người có công với cách mạng dịp 27/7", ""),
        (
            "DTN",
            "support",
            "Tặng quà thương binh, bệnh binh, thân nhân liệt sĩ",
            "Thắp nến tri ân tại nghĩa trang liệt sĩ xã.",
        ),
        ("PN", "support", "Thăm tặng quà Mẹ Việt Nam anh hùng, gia đình có công", ""),
    ],
    "quy_vi_nguoi_ngheo": [
        (
            "MT",
            "mobilisation",
            "Vận động ủng hộ Quỹ Vì người nghèo năm 2017",
            "Phát động tại hội nghị; các thôn thu và nộp về Ban vận động.",
        ),
        ("CD", "mobilisation", "Vận động CBCC ủng hộ một ngày lương vào quỹ vì người nghèo", ""),
        ("CCB", "mobilisation", "Quyên góp ủng hộ quỹ 'Vì người nghèo' của xã", ""),
    ],
    "hien_mau": [
        ("DTN", "mobilisation", "Ngày hội hiến máu tình nguyện 'Giọt hồng Quảng Yên'", ""),
        ("MT", "mobilisation", "Vận động nhân dân tham gia hiến máu nhân đạo đợt II", ""),
        ("CD", "mobilisation", "Vận động công chức, người lao động tham gia hiến máu", ""),
    ],
    "duong_hoa": [
        (
            "PN",
            "mobilisation",
            "Ra quân xây dựng tuyến đường hoa phụ nữ tự quản",
            "Góp phần xây dựng nông thôn mới.",
        ),
        ("DTN", "mobilisation", "Trồng hoa tạo cảnh quan tuyến đường thanh niên tự quản", ""),
        ("MT", "mobilisation", "Vận động nhân dân trồng hoa hai bên đường trục thôn", ""),
    ],
    "bhyt": [
        ("MT", "mobilisation", "Vận động nhân dân tham gia BHYT hộ gia đình", ""),
        (
            "PN",
            "mobilisation",
            "Tuyên truyền, vận động hội viên mua bảo hiểm y tế theo hộ gia đình",
            "",
        ),
        ("ND", "mobilisation", "Vận động nông dân mua thẻ bảo hiểm y tế", ""),
    ],
    "nuoi_hau": [
        ("ND", "training", "Tập huấn kỹ thuật nuôi hàu, ngao cho hội viên vùng bãi triều", ""),
        ("PN", "training", "Chuyển giao KHKT nuôi hàu Thái Bình Dương cho chị em", ""),
        ("CCB", "training", "Tập huấn nuôi hàu thương phẩm cho hội viên", ""),
    ],
    "ho_ngheo": [
        (
            "MT",
            "supervision",
            "Giám sát việc bình xét hộ nghèo, hộ cận nghèo năm 2017",
            "Tại các thôn; kiểm tra danh sách niêm yết.",
        ),
        ("PN", "survey", "Rà soát hộ nghèo do phụ nữ làm chủ hộ", ""),
        ("ND", "survey", "Khảo sát hộ nông dân nghèo cuối năm", ""),
    ],
    "gpmb": [
        (
            "MT",
            "supervision",
            "Giám sát công tác bồi thường, GPMB dự án đường cao tốc Hạ Long - Hải Phòng",
            "",
        ),
        ("CCB", "supervision", "Giám sát việc đền bù giải phóng mặt bằng tuyến cao tốc", ""),
        (
            "ND",
            "survey",
            "Nắm tình hình, khảo sát ý kiến hộ nông dân bị thu hồi đất làm đường cao tốc",
            "",
        ),
    ],
    "dai_doan_ket": [
        (
            "MT",
            "mobilisation",
            "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở các khu dân cư",
            "Kỷ niệm 87 năm Ngày truyền thống MTTQ Việt Nam 18/11.",
        ),
        ("PN", "mobilisation", "Phối hợp tổ chức Ngày hội ĐĐK toàn dân tộc tại khu dân cư", ""),
        (
            "DTN",
            "mobilisation",
            "Tham gia văn nghệ, thể thao trong Ngày hội đại đoàn kết ở thôn",
            "",
        ),
    ],
    "sxh": [
        ("PN", "mobilisation", "Ra quân diệt bọ gậy, phòng chống sốt xuất huyết", ""),
        (
            "DTN",
            "mobilisation",
            "Chiến dịch vệ sinh môi trường, diệt loăng quăng phòng dịch SXH",
            "",
        ),
        ("MT", "propaganda", "Tuyên truyền phòng chống dịch sốt xuất huyết ở khu dân cư", ""),
    ],
    "qua_tet": [
        (
            "MT",
            "support",
            "Trao quà Tết cho hộ nghèo, hộ có hoàn cảnh khó khăn dịp Tết Đinh Dậu",
            "",
        ),
        ("PN", "support", "Tặng quà Tết cho hội viên phụ nữ nghèo", ""),
        ("CD", "support", "Thăm, tặng quà đoàn viên công đoàn khó khăn dịp Tết", ""),
        ("CCB", "support", "Tết vì người nghèo: tặng quà hội viên CCB khó khăn", ""),
    ],
    "hoc_bong": [
        ("MT", "support", "Trao học bổng cho học sinh nghèo vượt khó học giỏi", ""),
        (
            "DTN",
            "support",
            "Trao học bổng 'Thắp sáng ước mơ' cho học sinh có hoàn cảnh khó khăn",
            "",
        ),
        ("PN", "support", "Trao học bổng cho con hội viên nghèo hiếu học", ""),
    ],
    "atvsld": [
        ("CD", "propaganda", "Hưởng ứng Tháng hành động về ATVSLĐ năm 2017", ""),
        ("MT", "propaganda", "Tuyên truyền Tháng hành động về an toàn, vệ sinh lao động", ""),
        ("DTN", "propaganda", "Tuyên truyền an toàn vệ sinh lao động cho thanh niên công nhân", ""),
    ],
    "mung_tho": [
        ("MT", "other", "Tổ chức mừng thọ người cao tuổi dịp đầu xuân", ""),
        ("CCB", "other", "Chúc thọ, mừng thọ hội viên cao tuổi tròn 70, 80, 90", ""),
        ("PN", "other", "Mừng thọ các cụ là hội viên phụ nữ", ""),
    ],
    "bao_lut": [
        (
            "MT",
            "propaganda",
            "Tuyên truyền chủ động phòng chống lụt bão, giảm nhẹ thiên tai năm 2017",
            "",
        ),
        (
            "CCB",
            "mobilisation",
            "Xung kích phòng chống bão lụt, ứng phó thiên tai tại khu dân cư",
            "",
        ),
        ("DTN", "training", "Tập huấn kỹ năng PCTT-TKCN cho đội thanh niên xung kích", ""),
    ],
    "mot_cua": [
        (
            "MT",
            "supervision",
            "Giám sát việc giải quyết thủ tục hành chính tại bộ phận một cửa UBND xã",
            "",
        ),
        ("CCB", "supervision", "Giám sát hoạt động tiếp nhận và trả kết quả TTHC của xã", ""),
    ],
    "gdvh": [
        ("MT", "emulation", "Bình xét gia đình văn hóa, khu dân cư văn hóa năm 2017", ""),
        ("CCB", "emulation", "Hội viên CCB tham gia bình xét gia đình văn hoá ở khu dân cư", ""),
    ],
    "nuoc_sach": [
        ("MT", "propaganda", "Tuyên truyền sử dụng nước sạch, xây nhà tiêu hợp vệ sinh", ""),
        (
            "PN",
            "mobilisation",
            "Vận động hội viên xây dựng nhà tiêu hợp vệ sinh, dùng nước sạch",
            "",
        ),
    ],
    "rac_thai": [
        ("PN", "mobilisation", "Phân loại rác thải tại nguồn ở khu dân cư", ""),
        (
            "CCB",
            "mobilisation",
            "Vận động hội viên phân loại, xử lý rác thải sinh hoạt tại hộ gia đình",
            "",
        ),
        ("MT", "mobilisation", "Nhân rộng mô hình phân loại rác tại hộ gia đình", ""),
    ],
    "mua_ban_nguoi": [
        ("PN", "propaganda", "Tuyên truyền phòng chống mua bán phụ nữ, trẻ em", ""),
        ("DTN", "propaganda", "Nói chuyện chuyên đề phòng, chống buôn bán người cho đoàn viên", ""),
        ("MT", "propaganda", "Tuyên truyền phòng ngừa tội phạm mua bán người", ""),
    ],
    "luat_dat_dai": [
        ("MT", "propaganda", "Phổ biến Luật Đất đai năm 2013 cho nhân dân", ""),
        ("ND", "propaganda", "Tuyên truyền pháp luật về đất đai cho hội viên nông dân", ""),
        ("CCB", "training", "Sinh hoạt chuyên đề Luật Đất đai cho hội viên", ""),
    ],
    "trung_thu": [
        ("DTN", "support", "Tổ chức Tết Trung thu cho thiếu nhi, tặng quà các cháu", ""),
        ("PN", "support", "Vui Tết Trung thu, tặng quà cho trẻ em hoàn cảnh khó khăn", ""),
        ("MT", "support", "Trao quà Trung thu cho các cháu thiếu niên nhi đồng", ""),
    ],
    "duoi_nuoc": [
        ("DTN", "training", "Dạy bơi miễn phí cho trẻ em dịp hè", "Phòng chống đuối nước."),
        ("PN", "propaganda", "Tuyên truyền phòng, chống đuối nước trẻ em mùa mưa bão", ""),
        ("MT", "propaganda", "Truyền thông kỹ năng phòng tránh đuối nước cho học sinh", ""),
    ],
    "khoi_nghiep": [
        ("PN", "training", "Hỗ trợ phụ nữ khởi nghiệp: tập huấn lập kế hoạch kinh doanh", ""),
        ("DTN", "training", "Tập huấn khởi sự kinh doanh cho thanh niên", ""),
    ],
    "giam_sat_ntm": [
        (
            "MT",
            "supervision",
            "Giám sát việc huy động, sử dụng đóng góp của nhân dân xây dựng NTM",
            "",
        ),
        ("CCB", "supervision", "Giám sát cộng đồng các công trình xây dựng nông thôn mới", ""),
    ],
    "tong_ve_sinh": [
        ("DTN", "mobilisation", "Ngày Chủ nhật xanh: tổng vệ sinh đường làng ngõ xóm", ""),
        ("PN", "mobilisation", "Ra quân tổng dọn vệ sinh môi trường đón Tết", ""),
        ("CCB", "mobilisation", "Hội viên ra quân vệ sinh đường làng, ngõ xóm", ""),
    ],
    "don_dien": [
        ("ND", "mobilisation", "Vận động hội viên dồn điền đổi thửa, tích tụ ruộng đất", ""),
        ("MT", "mobilisation", "Vận động nhân dân thực hiện dồn điền, đổi thửa", ""),
    ],
    "vay_von_dev": [
        ("PN", "support", "Hướng dẫn hội viên vay vốn NHCSXH qua tổ tiết kiệm và vay vốn", ""),
        ("ND", "support", "Giải ngân vốn vay Ngân hàng Chính sách xã hội cho hộ nông dân", ""),
        ("CCB", "support", "Ủy thác cho vay vốn chính sách đối với hội viên", ""),
    ],
    # ---------------------------------------------------------------- held-out split
    "H_pccc": [
        ("MT", "propaganda", "Tuyên truyền phòng cháy, chữa cháy tại các hộ kinh doanh", ""),
        ("DTN", "training", "Tập huấn nghiệp vụ PCCC cho đội thanh niên xung kích", ""),
        (
            "CD",
            "propaganda",
            "Huong dan ky nang phong chay chua chay, thoat hiem cho doan vien",
            "",
        ),
    ],
    "H_cum_gia_cam": [
        ("ND", "propaganda", "Tuyên truyền phòng, chống dịch cúm gia cầm H5N1", ""),
        ("MT", "mobilisation", "Vận động hộ chăn nuôi tiêm phòng vắc xin cúm cho đàn gia cầm", ""),
        ("PN", "training", "Hướng dẫn hội viên chăn nuôi gà vịt an toàn, phòng dịch cúm", ""),
    ],
    "H_nha_dai_doan_ket": [
        ("MT", "support", "Khởi công xây dựng nhà Đại đoàn kết cho hộ nghèo", ""),
        ("CCB", "support", "Hỗ trợ ngày công làm nhà đại đoàn kết cho hội viên nghèo", ""),
        ("DTN", "support", "Thanh niên tình nguyện giúp xây nhà cho hộ nghèo", ""),
    ],
    "H_he": [
        ("DTN", "other", "Khai mạc sinh hoạt hè cho thiếu nhi tại khu dân cư", ""),
        ("PN", "other", "Tổ chức các hoạt động vui chơi hè cho trẻ em", ""),
        ("MT", "other", "Phối hợp tổ chức sân chơi hè cho các cháu thiếu niên, nhi đồng", ""),
    ],
    "H_thang_cong_nhan": [
        ("CD", "support", "Tháng Công nhân 2017: thăm hỏi công nhân lao động khó khăn", ""),
        ("MT", "support", "Thăm, tặng quà công nhân lao động có hoàn cảnh khó khăn", ""),
    ],
    "H_attp_mam_non": [
        (
            "MT",
            "supervision",
            "Giám sát vệ sinh an toàn thực phẩm tại bếp ăn các trường mầm non",
            "",
        ),
        ("PN", "inspection", "Kiểm tra ATTP bếp ăn bán trú trường mầm non", ""),
    ],
    "H_khuyet_tat": [
        ("MT", "support", "Trao xe lăn cho người khuyết tật", ""),
        ("PN", "support", "Tặng quà, hỗ trợ người khuyết tật nghèo nhân ngày 18/4", ""),
        ("DTN", "support", "Hỗ trợ xe lăn cho người tàn tật", ""),
    ],
    "H_da_cam": [
        ("CCB", "support", "Thăm hỏi, hỗ trợ nạn nhân chất độc da cam/dioxin", ""),
        ("MT", "support", "Trao quà cho nạn nhân CĐDC nhân ngày 10/8", ""),
    ],
    "H_do_dau": [
        (
            "PN",
            "support",
            "Nhận đỡ đầu trẻ em mồ côi, có hoàn cảnh đặc biệt khó khăn",
            "Mô hình mẹ đỡ đầu.",
        ),
        ("DTN", "support", "Kết nghĩa, đỡ đầu thiếu nhi mồ côi", ""),
        ("MT", "support", "Hỗ trợ hằng tháng cho trẻ mồ côi", ""),
    ],
    "H_vu_dong": [
        ("ND", "training", "Tập huấn kỹ thuật trồng cây vụ đông (khoai tây, su hào)", ""),
        (
            "PN",
            "training",
            "Chuyển giao tiến bộ kỹ thuật gieo trồng rau màu vụ đông cho hội viên",
            "",
        ),
        ("CCB", "training", "Hướng dẫn hội viên kỹ thuật sản xuất vụ Đông năm 2017", ""),
    ],
    "H_nvqs": [
        (
            "DTN",
            "propaganda",
            "Tuyên truyền Luật Nghĩa vụ quân sự, động viên thanh niên lên đường nhập ngũ",
            "",
        ),
        ("CCB", "mobilisation", "Vận động con em hội viên thực hiện nghĩa vụ quân sự năm 2018", ""),
        ("PN", "mobilisation", "Vận động các gia đình động viên con em đi NVQS", ""),
    ],
    "H_che_do_ncc": [
        ("MT", "supervision", "Giám sát việc chi trả trợ cấp ưu đãi người có công", ""),
        (
            "CCB",
            "supervision",
            "Giám sát thực hiện chính sách đối với thương binh, gia đình chính sách",
            "",
        ),
    ],
    "H_thuoc_la": [
        ("DTN", "propaganda", "Truyền thông phòng chống tác hại thuốc lá trong thanh niên", ""),
        ("PN", "propaganda", "Tuyên truyền xây dựng gia đình không khói thuốc lá", ""),
        ("CD", "propaganda", "Xây dựng cơ quan không khói thuốc", ""),
    ],
    "H_trong_cay": [
        ("MT", "mobilisation", "Phát động Tết trồng cây 'Đời đời nhớ ơn Bác Hồ' xuân Đinh Dậu", ""),
        ("DTN", "mobilisation", "Ra quân trồng cây xanh tại tuyến đê biển", ""),
        ("CCB", "mobilisation", "Hội viên trồng cây phân tán dịp đầu xuân", ""),
    ],
    "H_hang_viet": [
        (
            "MT",
            "propaganda",
            "Tuyên truyền Cuộc vận động 'Người Việt Nam ưu tiên dùng hàng Việt Nam'",
            "",
        ),
        ("PN", "propaganda", "Vận động hội viên ưu tiên dùng hàng Việt", ""),
        ("CD", "propaganda", "Tuyen truyen cuoc van dong nguoi Viet dung hang Viet cho CNVCLD", ""),
    ],
    "H_bien_dao": [
        ("DTN", "propaganda", "Hội thi tìm hiểu Luật Biển Việt Nam", ""),
        ("MT", "propaganda", "Tuyên truyền chủ quyền biển, đảo và Luật Biển Việt Nam", ""),
        ("CCB", "propaganda", "Nói chuyện truyền thống bảo vệ chủ quyền biển đảo", ""),
    ],
    "H_le_hoi": [
        ("MT", "other", "Phối hợp tổ chức Lễ hội Bạch Đằng năm 2017", ""),
        ("DTN", "other", "Đoàn viên tình nguyện phục vụ Lễ hội Bạch Đằng", ""),
    ],
    "H_hoi_cho": [
        ("ND", "other", "Tham gia hội chợ giới thiệu nông sản đặc sản địa phương", ""),
        ("PN", "other", "Gian hàng giới thiệu sản phẩm của phụ nữ tại hội chợ xuân", ""),
    ],
    "H_cskss": [
        ("PN", "propaganda", "Truyền thông CSSKSS cho phụ nữ", ""),
        ("DTN", "propaganda", "Tư vấn chăm sóc sức khỏe sinh sản vị thành niên cho đoàn viên", ""),
    ],
    "H_ma_tuy": [
        ("CCB", "propaganda", "Tuyen truyen phong chong ma tuy tai khu dan cu", ""),
        ("MT", "mobilisation", "Vận động gia đình có người nghiện cai nghiện ma túy", ""),
        ("DTN", "propaganda", "Hội thi tìm hiểu phòng chống ma tuý trong thanh niên", ""),
    ],
    "H_luat_hngd": [
        ("PN", "propaganda", "Phổ biến Luật Hôn nhân và gia đình cho hội viên", ""),
        ("MT", "propaganda", "Tuyên truyền pháp luật về hôn nhân, gia đình tại khu dân cư", ""),
    ],
    "H_ra_soat_bhyt": [
        ("MT", "survey", "Rà soát người chưa có thẻ BHYT", ""),
        ("PN", "survey", "Khảo sát hộ hội viên chưa tham gia bảo hiểm y tế", ""),
    ],
}

# Hard negatives: each set goes to one commune and week; its entries are NOT one purpose.
NEGATIVES: list[tuple[str, str, list[Entry]]] = [
    # (split, kind of trap, entries)
    ("dev", "phong_chong", [
        ("DTN", "propaganda", "Tuyên truyền phòng, chống ma túy cho thanh thiếu niên", ""),
        ("PN", "propaganda", "Tuyên truyền phòng chống đuối nước cho thanh thiếu niên dịp hè", ""),
    ]),
    ("dev", "phong_chong", [
        ("PN", "propaganda", "Truyền thông phòng, chống xâm hại trẻ em", ""),
        ("MT", "propaganda", "Tuyên truyền phòng chống tai nạn thương tích cho trẻ em", ""),
    ]),
    ("dev", "phong_chong", [
        ("ND", "propaganda", "Tuyên truyền phòng, chống dịch bệnh trên đàn lợn cho hội viên", ""),
        ("PN", "propaganda", "Tuyên truyền phòng, chống bệnh tay chân miệng cho hội viên có con nhỏ",
         ""),
    ]),
    ("dev", "phong_chong", [
        ("CCB", "propaganda", "Tuyên truyền phòng chống tham nhũng, lãng phí cho hội viên", ""),
        ("MT", "propaganda", "Tuyên truyền phòng, chống cháy nổ mùa hanh khô cho nhân dân", ""),
    ]),
    ("dev", "phong_chong", [
        ("DTN", "propaganda", "Phong chong HIV/AIDS cho doan vien thanh nien", ""),
        ("CD", "propaganda", "Phòng, chống tác hại của rượu, bia cho đoàn viên", ""),
    ]),
    ("dev", "phong_chong", [
        ("DTN", "propaganda", "Phòng, chống bạo lực học đường cho học sinh", ""),
        ("MT", "propaganda", "Phòng chống lừa đảo qua mạng cho học sinh, sinh viên", ""),
    ]),
    ("dev", "phong_chong", [
        ("PN", "propaganda", "Phòng chống suy dinh dưỡng trẻ em dưới 5 tuổi", ""),
        ("DTN", "propaganda", "Phòng, chống cận thị học đường cho trẻ em", ""),
    ]),
    ("dev", "internal", [
        ("ND", "emulation", "Bình xét chi hội vững mạnh năm 2017", ""),
        ("PN", "emulation", "Xét công nhận tổ hội xuất sắc năm 2017", ""),
    ]),
    ("dev", "internal", [
        ("CCB", "emulation", "Đánh giá, xếp loại chi hội CCB năm 2017", ""),
        ("DTN", "emulation", "Đánh giá, xếp loại chi đoàn và đoàn viên năm 2017", ""),
    ]),
    ("dev", "internal", [
        ("PN", "emulation", "Bình xét danh hiệu hội viên phụ nữ xuất sắc", ""),
        ("ND", "emulation", "Bình chọn hội viên nông dân sản xuất kinh doanh giỏi", ""),
    ]),
    ("dev", "internal", [
        ("CD", "emulation", "Bình xét công đoàn cơ sở vững mạnh, xuất sắc", ""),
        ("MT", "emulation", "Đánh giá, xếp loại Ban công tác Mặt trận khu dân cư", ""),
    ]),
    ("dev", "internal", [
        ("DTN", "emulation", "Xét khen thưởng đoàn viên tiêu biểu dịp tổng kết năm", ""),
        ("CCB", "emulation", "Tổng kết thi đua, khen thưởng hội viên tiêu biểu năm 2017", ""),
    ]),
    ("dev", "internal", [
        ("ND", "emulation", "Phân loại chất lượng cơ sở hội cuối năm", ""),
        ("PN", "emulation", "Đánh giá chất lượng hoạt động chi hội phụ nữ", ""),
    ]),
    ("dev", "place", [
        ("ND", "training", "Tập huấn kỹ thuật nuôi ngao tại nhà văn hóa thôn Trại", ""),
        ("PN", "training", "Sinh hoạt chuyên đề Luật Hôn nhân và gia đình tại nhà văn hóa thôn Trại",
         ""),
    ]),
    ("dev", "place", [
        ("MT", "propaganda", "Tuyên truyền Luật Tiếp cận thông tin cho nhân dân khu Bắc Phong", ""),
        ("DTN", "propaganda", "Tuyên truyền sử dụng mạng xã hội an toàn cho thanh niên khu Bắc Phong",
         ""),
    ]),
    ("dev", "place", [
        ("CCB", "support", "Trao quà cho hội viên CCB ốm đau tại thôn Yên Đông", ""),
        ("DTN", "support", "Hỗ trợ ngày công thu hoạch lúa cho gia đình neo đơn thôn Yên Đông", ""),
    ]),
    ("dev", "place", [
        ("PN", "mobilisation", "Vận động hội viên thôn Cao Xanh tham gia BHXH tự nguyện", ""),
        ("ND", "mobilisation", "Vận động hội viên thôn Cao Xanh làm đường giao thông nội đồng", ""),
    ]),
    ("dev", "place", [
        ("MT", "supervision", "Giám sát thực hiện quy chế dân chủ ở cơ sở tại xã Hà An", ""),
        ("PN", "supervision", "Giám sát thực hiện chế độ thai sản cho lao động nữ tại xã Hà An", ""),
    ]),
    ("dev", "place", [
        ("DTN", "training", "Tập huấn tin học văn phòng cho đoàn viên tại hội trường UBND xã", ""),
        ("CD", "training", "Tập huấn nghiệp vụ công tác công đoàn tại hội trường UBND xã", ""),
    ]),
    ("dev", "own", [
        ("DTN", "other", "Kỷ niệm 86 năm Ngày thành lập Đoàn TNCS Hồ Chí Minh", ""),
        ("PN", "other", "Kỷ niệm 87 năm Ngày thành lập Hội LHPN Việt Nam 20/10", ""),
    ]),
    ("dev", "own", [
        ("ND", "other", "Hội nghị sơ kết công tác Hội 6 tháng đầu năm", ""),
        ("CCB", "other", "Sơ kết 6 tháng hoạt động của Hội, triển khai nhiệm vụ 6 tháng cuối năm", ""),
    ]),
    # held-out negatives
    ("heldout", "phong_chong", [
        ("PN", "propaganda", "Tuyên truyền phòng, chống ung thư cổ tử cung cho hội viên", ""),
        ("ND", "propaganda", "Tuyên truyền phòng chống dịch lở mồm long móng cho hội viên", ""),
    ]),
    ("heldout", "phong_chong", [
        ("DTN", "propaganda", "Phòng chống thuốc lá điện tử trong học sinh", ""),
        ("MT", "propaganda", "Phòng, chống bắt nạt học đường cho học sinh", ""),
    ]),
    ("heldout", "phong_chong", [
        ("CCB", "propaganda", "Phòng ngừa, đấu tranh chống trộm cắp tài sản tại khu dân cư", ""),
        ("PN", "propaganda", "Phòng chống dịch sởi tại khu dân cư", ""),
    ]),
    ("heldout", "phong_chong", [
        ("ND", "propaganda", "Phòng chống rét cho trâu bò, gia súc", ""),
        ("MT", "propaganda", "Phòng, chống cháy rừng mùa khô", ""),
    ]),
    ("heldout", "internal", [
        ("DTN", "emulation", "Xét công nhận chi đoàn mạnh năm 2017", ""),
        ("PN", "emulation", "Bình xét chi hội phụ nữ vững mạnh", ""),
    ]),
    ("heldout", "internal", [
        ("CCB", "emulation", "Bình xét hội viên CCB gương mẫu", ""),
        ("CD", "emulation", "Bình xét đoàn viên công đoàn xuất sắc", ""),
    ]),
    ("heldout", "internal", [
        ("MT", "emulation", "Đánh giá xếp loại Ban công tác Mặt trận thôn", ""),
        ("ND", "emulation", "Xếp loại tổ hội nông dân năm 2017", ""),
    ]),
    ("heldout", "place", [
        ("PN", "training", "Tập huấn kỹ năng làm mẹ cho hội viên tại nhà văn hóa khu 5", ""),
        ("ND", "training", "Tập huấn sử dụng phân bón hữu cơ cho hội viên tại nhà văn hóa khu 5", ""),
    ]),
    ("heldout", "place", [
        ("MT", "support", "Hỗ trợ xây bể nước cho gia đình ông Tâm thôn Cẩm Hải", ""),
        ("DTN", "support", "Tặng sách vở cho học sinh thôn Cẩm Hải", ""),
    ]),
    ("heldout", "place", [
        ("CCB", "mobilisation", "Vận động hội viên khu Tân Mai hiến đất làm đường", ""),
        ("PN", "mobilisation", "Vận động hội viên khu Tân Mai tham gia câu lạc bộ dân vũ", ""),
    ]),
    ("heldout", "own", [
        ("CCB", "other", "Kỷ niệm 28 năm Ngày thành lập Hội CCB Việt Nam", ""),
        ("ND", "other", "Kỷ niệm 87 năm Ngày thành lập Hội Nông dân Việt Nam", ""),
    ]),
]  # fmt: skip

# Single activities placed next to the purposes and negatives (each its own purpose).
BACKGROUND: list[tuple[str, Entry]] = [
    ("dev", ("ND", "other", "Đại hội chi hội nông dân thôn 3 nhiệm kỳ 2017-2022", "")),
    ("dev", ("PN", "mobilisation", "Kết nạp hội viên mới, phát triển hội viên trẻ", "")),
    ("dev", ("DTN", "other", "Thành lập câu lạc bộ võ thuật thanh thiếu nhi", "")),
    ("dev", ("PN", "other", "Giải bóng chuyền hơi nữ chào mừng ngày 8/3", "")),
    ("dev", ("MT", "other", "Hội nghị hiệp thương cử Ban công tác Mặt trận", "")),
    ("dev", ("CCB", "training", "Học tập chuyên đề tư tưởng, đạo đức, phong cách Hồ Chí Minh", "")),
    ("dev", ("ND", "training", "Tập huấn kỹ thuật trồng nấm rơm", "")),
    ("dev", ("DTN", "propaganda", "Tuyên truyền kỷ niệm 100 năm Cách mạng Tháng Mười Nga", "")),
    ("dev", ("MT", "supervision", "Giám sát việc thu, chi các khoản đóng góp ở trường học", "")),
    ("dev", ("CD", "other", "Tổ chức cho đoàn viên tham quan, nghỉ mát", "")),
    ("dev", ("PN", "training", "Lớp dạy nghề may công nghiệp cho lao động nữ", "")),
    ("dev", ("CCB", "support", "Thăm hỏi hội viên ốm đau, phúng viếng hội viên từ trần", "")),
    ("dev", ("DTN", "mobilisation", "Thu gom giấy vụn gây quỹ đội", "")),
    ("dev", ("ND", "support", "Cung ứng phân bón trả chậm cho hội viên", "")),
    ("dev", ("MT", "propaganda", "Tuyên truyền Nghị quyết Đại hội Đảng bộ xã", "")),
    ("dev", ("PN", "support", "Hỗ trợ mô hình chăn nuôi lợn sinh học cho chi hội", "")),
    (
        "dev",
        ("DTN", "training", "Tập huấn kỹ năng tổ chức sinh hoạt Đội cho phụ trách thiếu nhi", ""),
    ),
    ("dev", ("CCB", "inspection", "Kiểm tra hoạt động tổ hợp tác của hội viên", "")),
    ("dev", ("CD", "mobilisation", "Phát động phong trào lao động giỏi, lao động sáng tạo", "")),
    ("dev", ("MT", "survey", "Khảo sát nhu cầu học nghề của lao động nông thôn", "")),
    ("dev", ("ND", "other", "Tham gia hội thi nhà nông đua tài cấp thị xã", "")),
    ("dev", ("PN", "propaganda", "Tuyên truyền nuôi con bằng sữa mẹ", "")),
    ("dev", ("DTN", "other", "Giải bóng đá thanh niên chào mừng 26/3", "")),
    ("dev", ("MT", "support", "Hỗ trợ tiền điện cho hộ nghèo theo quyết định của UBND tỉnh", "")),
    (
        "dev",
        ("CCB", "propaganda", "Sinh hoạt truyền thống kỷ niệm Ngày Quân đội nhân dân 22/12", ""),
    ),
    ("heldout", ("PN", "other", "Liên hoan văn nghệ 'Phụ nữ duyên dáng' cấp xã", "")),
    ("heldout", ("ND", "training", "Hội thảo đầu bờ giống lúa mới BC15", "")),
    (
        "heldout",
        (
            "DTN",
            "mobilisation",
            "Ra quân xây dựng công trình thanh niên: điện chiếu sáng đường quê",
            "",
        ),
    ),
    ("heldout", ("MT", "supervision", "Giám sát việc cấp giấy chứng nhận quyền sử dụng đất", "")),
    ("heldout", ("CCB", "other", "Gặp mặt hội viên là thương binh, bệnh binh nhân dịp Tết", "")),
    ("heldout", ("CD", "support", "Trao mái ấm công đoàn cho đoàn viên khó khăn về nhà ở", "")),
    ("heldout", ("PN", "survey", "Khảo sát nhu cầu vay vốn của hội viên", "")),
    ("heldout", ("DTN", "propaganda", "Tuyên truyền Luật Trẻ em cho thiếu nhi", "")),
    ("heldout", ("ND", "support", "Hỗ trợ giống lúa chịu mặn cho hộ sản xuất vùng ven biển", "")),
    ("heldout", ("MT", "other", "Hội nghị đại biểu nhân dân góp ý xây dựng Đảng, chính quyền", "")),
    (
        "heldout",
        ("CCB", "training", "Bồi dưỡng nghiệp vụ công tác kiểm tra cho ủy ban kiểm tra Hội", ""),
    ),
    ("heldout", ("PN", "mobilisation", "Vận động hội viên tiết kiệm 'Heo đất' giúp nhau", "")),
    ("heldout", ("DTN", "support", "Khám bệnh, cấp thuốc miễn phí cho người cao tuổi", "")),
]
