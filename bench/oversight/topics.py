"""Hand-written supervision subjects, grouped by what they are about (written for this
benchmark by reading the kind of programme a town's Front adopts; not derived from the
overlap engine's phrase or synonym lists). Two subjects of one group planned by two
organizations for the same body in the same months are one supervision done twice; two
subjects of different groups are not, however many words they share ("bồi thường" for
land clearance and for storm damage, "hộ nghèo" for the list and for housing support)."""

from __future__ import annotations

TOPICS: dict[str, list[str]] = {
    "land_compensation": [
        "Giám sát công tác bồi thường, hỗ trợ, tái định cư khi Nhà nước thu hồi đất",
        "Giám sát việc thực hiện chính sách bồi thường giải phóng mặt bằng",
        "Giám sát việc chi trả tiền bồi thường, hỗ trợ cho các hộ bị thu hồi đất",
    ],
    "storm_damage": [
        "Giám sát việc hỗ trợ khắc phục thiệt hại do bão, lũ",
        "Giám sát việc phân bổ tiền hỗ trợ các hộ bị thiệt hại sau cơn bão",
    ],
    "poor_list": [
        "Giám sát việc bình xét hộ nghèo, hộ cận nghèo",
        "Giám sát quy trình rà soát, công nhận hộ nghèo và hộ cận nghèo hằng năm",
        "Giám sát việc rà soát danh sách hộ nghèo tại các khu dân cư",
    ],
    "poor_housing": [
        "Giám sát việc hỗ trợ xây dựng nhà Đại đoàn kết cho hộ nghèo",
        "Giám sát việc sử dụng Quỹ Vì người nghèo để làm nhà cho hộ khó khăn về nhà ở",
    ],
    "grassroots_democracy": [
        "Giám sát việc thực hiện quy chế dân chủ ở cơ sở",
        "Giám sát thực hiện dân chủ cơ sở, công khai các khoản đóng góp của nhân dân",
        "Giám sát việc thực hiện Pháp lệnh dân chủ ở xã, phường",
    ],
    "health_insurance": [
        "Giám sát việc thực hiện chính sách bảo hiểm y tế cho người cao tuổi",
        "Giám sát việc cấp thẻ bảo hiểm y tế cho người từ 80 tuổi trở lên",
    ],
    "social_insurance_workers": [
        "Giám sát việc đóng bảo hiểm xã hội cho người lao động tại doanh nghiệp",
        "Giám sát việc chấp hành pháp luật về bảo hiểm xã hội, nợ đóng bảo hiểm của doanh nghiệp",
    ],
    "food_safety": [
        "Giám sát việc bảo đảm vệ sinh an toàn thực phẩm tại các bếp ăn tập thể",
        "Giám sát công tác quản lý an toàn thực phẩm ở chợ và cơ sở kinh doanh ăn uống",
        "Giám sát vệ sinh an toàn thực phẩm trong dịp Tết",
    ],
    "new_rural": [
        "Giám sát việc huy động đóng góp của nhân dân xây dựng nông thôn mới",
        "Giám sát việc thực hiện tiêu chí xây dựng nông thôn mới nâng cao",
    ],
    "rural_roads": [
        "Giám sát thi công đường giao thông nông thôn do nhân dân đóng góp",
        "Giám sát chất lượng công trình bê tông hóa đường thôn, xóm",
    ],
    "waste": [
        "Giám sát công tác thu gom, xử lý rác thải sinh hoạt",
        "Giám sát việc xử lý các điểm tập kết rác thải tự phát gây ô nhiễm môi trường",
    ],
    "aquaculture_environment": [
        "Giám sát việc bảo vệ môi trường tại các vùng nuôi trồng thủy sản",
        "Giám sát xả thải của các cơ sở chế biến thủy sản ven sông",
    ],
    "citizen_reception": [
        "Giám sát việc tiếp công dân, giải quyết khiếu nại, tố cáo",
        "Giám sát công tác tiếp dân và xử lý đơn thư của Ủy ban nhân dân",
        "Giám sát việc giải quyết đơn thư khiếu nại về đất đai",
    ],
    "administrative_procedures": [
        "Giám sát việc giải quyết thủ tục hành chính tại bộ phận một cửa",
        "Giám sát việc tiếp nhận, trả kết quả hồ sơ hành chính cho người dân",
    ],
    "cadre_ethics": [
        "Giám sát việc tu dưỡng, rèn luyện đạo đức, lối sống của cán bộ, đảng viên",
        "Giám sát cán bộ, đảng viên nơi cư trú theo Quy định 124",
    ],
    "school_fees": [
        "Giám sát việc thu, chi các khoản đóng góp đầu năm học tại trường học",
        "Giám sát việc lạm thu trong các trường mầm non, tiểu học",
    ],
    "meritorious_policy": [
        "Giám sát việc thực hiện chính sách đối với người có công với cách mạng",
        "Giám sát việc chi trả trợ cấp ưu đãi người có công",
    ],
    "social_allowance": [
        "Giám sát việc chi trả trợ cấp xã hội cho người khuyết tật, người cao tuổi",
        "Giám sát việc thực hiện chính sách trợ giúp xã hội tại cộng đồng",
    ],
    "traffic_safety": [
        "Giám sát việc bảo đảm trật tự an toàn giao thông trên các tuyến đường liên xã",
        "Giám sát việc xử lý lấn chiếm hành lang an toàn giao thông",
    ],
    "land_use_plan": [
        "Giám sát việc thực hiện quy hoạch, kế hoạch sử dụng đất",
        "Giám sát việc cấp giấy chứng nhận quyền sử dụng đất cho hộ gia đình",
    ],
    "clean_water": [
        "Giám sát việc cung cấp nước sạch cho nhân dân vùng nông thôn",
        "Giám sát chất lượng nước sinh hoạt của công trình cấp nước tập trung",
    ],
    "vocational_training": [
        "Giám sát việc đào tạo nghề cho lao động nông thôn",
        "Giám sát hiệu quả các lớp dạy nghề cho phụ nữ và thanh niên",
    ],
    "preferential_loans": [
        "Giám sát việc cho vay vốn ưu đãi của Ngân hàng Chính sách xã hội qua các tổ chức hội",
        "Giám sát hoạt động của các tổ tiết kiệm và vay vốn",
    ],
}

# Bodies written the way a programme writes them (abbreviated or in full): both forms of a
# body are the same body.
BODY_FORMS: list[tuple[str, str]] = [
    ("UBND {kind} {name}", "Ủy ban nhân dân {kind} {name}"),
]
