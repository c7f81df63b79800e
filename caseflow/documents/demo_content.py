"""What the demo's documents say: plausible Vietnamese content for each required field, so that an issued demo
document reads as a real one (a federation's first look at caseflow is its demo) rather than "Nội dung mẫu".
Invented people and companies of the Bình Định demo; nothing here is a real case."""
from __future__ import annotations

#: by document type, then field: the body of the free-form types
BY_TYPE: dict[str, dict[str, object]] = {
    "cong_van": {
        "addressees": ["Liên đoàn Lao động các huyện, thị xã, thành phố", "Công đoàn ngành, Công đoàn các Khu kinh tế"],
        "body": "Thực hiện Chương trình công tác năm, Liên đoàn Lao động tỉnh đề nghị các đơn vị tổng kết công tác "
                "tư vấn pháp luật cho đoàn viên, người lao động: số lượt tư vấn, số vụ việc đại diện tham gia tố "
                "tụng, kết quả bảo vệ quyền lợi người lao động và những khó khăn, kiến nghị.\n"
                "Báo cáo gửi về Liên đoàn Lao động tỉnh (qua Ban Chính sách – Pháp luật) trước ngày 15 tháng 12 "
                "để tổng hợp, báo cáo Tổng Liên đoàn Lao động Việt Nam.",
    },
    "thong_bao": {
        "body": "Thường trực Liên đoàn Lao động tỉnh tiếp đoàn viên, người lao động vào sáng thứ Năm hằng tuần, từ "
                "7 giờ 30 đến 11 giờ, tại Phòng tiếp công dân, trụ sở Liên đoàn Lao động tỉnh.\n"
                "Người đến phản ánh, kiến nghị mang theo giấy tờ tùy thân và tài liệu liên quan (nếu có).",
    },
    "bao_cao": {
        "body": "Trong kỳ, các cấp công đoàn đã tư vấn pháp luật cho 412 lượt đoàn viên, người lao động; tham gia "
                "giải quyết 23 vụ tranh chấp lao động, trong đó 17 vụ hòa giải thành; đại diện cho người lao động "
                "tham gia tố tụng tại Tòa án 6 vụ.\nNội dung tư vấn chủ yếu về tiền lương, bảo hiểm xã hội và "
                "chấm dứt hợp đồng lao động.",
    },
    "ke_hoach": {
        "body": "Mục đích: nâng cao hiểu biết pháp luật lao động của đoàn viên tại các doanh nghiệp khu công nghiệp.\n"
                "Nội dung: tổ chức 12 buổi tư vấn pháp luật lưu động tại các khu công nghiệp Phú Tài, Long Mỹ, "
                "Nhơn Hòa; phát hành tờ gấp hỏi đáp về tiền lương và bảo hiểm xã hội.\n"
                "Thời gian: từ tháng 3 đến tháng 10. Kinh phí: từ nguồn tài chính công đoàn theo dự toán được duyệt.",
    },
    "to_trinh": {
        "addressees": ["Ban Thường vụ Liên đoàn Lao động tỉnh"],
        "body": "Ban Chính sách – Pháp luật kính trình Ban Thường vụ xem xét, cho ý kiến về việc thành lập Tổ tư vấn "
                "pháp luật lưu động tại các khu công nghiệp, gồm 05 cán bộ kiêm nhiệm, hoạt động từ quý II.",
    },
    "quyet_dinh": {
        "bases": "Căn cứ Điều lệ Công đoàn Việt Nam;\nCăn cứ Quy chế làm việc của Ban Chấp hành Liên đoàn Lao động "
                 "tỉnh;\nXét đề nghị của Trưởng Ban Chính sách – Pháp luật,",
        "articles": "Điều 1. Thành lập Tổ tư vấn pháp luật lưu động tại các khu công nghiệp trên địa bàn tỉnh.\n"
                    "Điều 2. Tổ có nhiệm vụ tư vấn pháp luật lao động, công đoàn cho đoàn viên, người lao động.\n"
                    "Điều 3. Chánh Văn phòng, Trưởng Ban Chính sách – Pháp luật và các cá nhân có tên tại Điều 1 "
                    "chịu trách nhiệm thi hành Quyết định này.",
    },
}
BY_TYPE["quyet_dinh_ban_hanh_quy_trinh"] = {
    "bases": BY_TYPE["quyet_dinh"]["bases"],
    "articles": "Điều 1. Ban hành kèm theo Quyết định này Quy trình tiếp nhận, xử lý đơn của đoàn viên, người lao "
                "động.\nĐiều 2. Quyết định có hiệu lực kể từ ngày ký.\nĐiều 3. Các ban, đơn vị trực thuộc chịu "
                "trách nhiệm thi hành Quyết định này.",
}

#: by field name, for every type that has the field
BY_FIELD: dict[str, object] = {
    "accused_name": "Ông Trần Văn Hùng, Chủ tịch Công đoàn cơ sở Công ty TNHH Chế biến gỗ Phú Tài",
    "content": "Người gửi phản ánh Công ty chậm trả lương tháng 9 và tháng 10 cho khoảng 120 công nhân và chưa "
               "đóng bảo hiểm xã hội từ đầu năm; Ban Chấp hành công đoàn cơ sở không kiến nghị với Công ty.",
    "acceptance_decision": "Quyết định số 12/QĐ-UBKT ngày 05/11",
    "team": [{"full_name": "Lê Thị Mai", "position": "Ủy viên Ủy ban Kiểm tra", "role": "Tổ trưởng"},
             {"full_name": "Nguyễn Văn Bình", "position": "Cán bộ Ban Chính sách – Pháp luật", "role": "Thành viên"}],
    "duration": "30 ngày kể từ ngày ký",
    "reason": "Nội dung tố cáo liên quan đến nhiều đơn vị, cần thêm thời gian xác minh tại doanh nghiệp.",
    "extension_days": "30",
    "findings": "Qua xác minh sổ sách và làm việc với người có liên quan, việc chậm trả lương có xảy ra; Ban Chấp "
                "hành công đoàn cơ sở đã có văn bản kiến nghị với Công ty nhưng không theo dõi kết quả.",
    "conclusion": "Tố cáo đúng một phần. Yêu cầu Ban Chấp hành công đoàn cơ sở kiểm điểm, rút kinh nghiệm.",
    "conclusion_ref": "Kết luận số 03/KL-UBKT",
    "result": "Ủy ban Kiểm tra đã kết luận nội dung tố cáo và kiến nghị xử lý theo quy định.",
    "complainant_name": "Bà Phan Thị Thu",
    "complaint_content": "Khiếu nại quyết định cho thôi giữ chức Ủy viên Ban Chấp hành công đoàn cơ sở.",
    "refusal_ground": "Khiếu nại đã quá thời hiệu 90 ngày (Luật Khiếu nại 2011, Điều 9).",
    "dialogue_place": "Trụ sở Liên đoàn Lao động tỉnh, 185 Lê Hồng Phong, Quy Nhơn",
    "chair": "Ông Võ Văn Tâm, Phó Chủ nhiệm Ủy ban Kiểm tra",
    "secretary": "Bà Lê Thị Mai, Ủy viên Ủy ban Kiểm tra",
    "verification_result": "Quyết định được ban hành đúng thẩm quyền nhưng chưa tổ chức lấy ý kiến của người bị "
                           "xử lý trước khi quyết định.",
    "statements": "Người khiếu nại giữ nguyên yêu cầu; đại diện Ban Chấp hành công đoàn cơ sở trình bày căn cứ ban "
                  "hành quyết định.",
    "round": "lần đầu",
    "act_complained": "Quyết định số 05/QĐ-CĐCS của Ban Chấp hành Công đoàn cơ sở",
    "decision": "Hủy Quyết định số 05/QĐ-CĐCS; giao Ban Chấp hành công đoàn cơ sở xem xét lại theo đúng quy trình.",
    "letter_kind": "Đơn khiếu nại",
    "sender_name": "(được bảo mật)",
    "assessment": "Đơn ghi rõ ngày tháng, có chữ ký; nội dung thuộc thẩm quyền giải quyết của Liên đoàn Lao động tỉnh.",
    "proposal": "Đề xuất thụ lý giải quyết theo quy định.",
    "proposer": "Nguyễn Văn An, Ủy viên Ủy ban Kiểm tra",
    "transferred_to": "Sở Nội vụ tỉnh",
    "addressees": ["Bà Phan Thị Thu, thôn Trung Lương, xã Cát Tiến"],
    "competent_body": "Tòa án nhân dân thành phố Quy Nhơn",
    "guidance": "Nội dung đơn là tranh chấp về hợp đồng lao động; đề nghị bà gửi yêu cầu đến hòa giải viên lao "
                "động hoặc Tòa án có thẩm quyền.",
    "client_name": "Ông Nguyễn Văn Ánh",
    "question": "Công ty nợ lương 3 tháng, người lao động có được đơn phương chấm dứt hợp đồng không?",
    "advice": "Người lao động có quyền đơn phương chấm dứt hợp đồng lao động không cần báo trước khi không được "
              "trả đủ lương hoặc trả lương không đúng hạn (Bộ luật Lao động 2019, Điều 35, khoản 2).",
    "consultant": "Trần Thị Hoa, tư vấn viên pháp luật",
    "principal_name": "Ông Nguyễn Văn Ánh",
    "agent_name": "Liên đoàn Lao động tỉnh Bình Định",
    "scope": "Đại diện người ủy quyền tham gia hòa giải và tố tụng vụ tranh chấp về tiền lương với Công ty TNHH "
             "May mặc Quy Nhơn.",
    "term": "Đến khi kết thúc vụ việc",
    "worker_name": "Ông Nguyễn Văn Ánh",
    "matter": "Công ty TNHH May mặc Quy Nhơn chậm trả lương tháng 8, 9 và 10 cho người lao động.",
    "request": "Đề nghị Công ty thanh toán đầy đủ tiền lương còn nợ và tiền lãi chậm trả theo quy định.",
    "cdcs_name": "Công đoàn cơ sở Công ty TNHH Chế biến gỗ Phú Tài",
    "enterprise_name": "Công ty TNHH Chế biến gỗ Phú Tài",
    "members_count": "86",
    "committee": [{"full_name": "Trần Văn Hùng", "position": "Chủ tịch"},
                  {"full_name": "Lê Thị Lan", "position": "Phó Chủ tịch"}],
    "union_name": "Công đoàn cơ sở Công ty Cổ phần Thủy sản Bình Định",
    "members": [{"full_name": "Phạm Văn Long", "position": "Chủ tịch"},
                {"full_name": "Đặng Thị Hạnh", "position": "Ủy viên"}],
    "form": "Bằng khen của Liên đoàn Lao động tỉnh",
    "nominees": [{"full_name": "Lê Thị Lan", "unit": "Công đoàn cơ sở Công ty TNHH Chế biến gỗ Phú Tài",
                  "form": "Bằng khen"}],
    "awardees": [{"full_name": "Lê Thị Lan", "unit": "Công đoàn cơ sở Công ty TNHH Chế biến gỗ Phú Tài"}],
    "achievement": "Đã có thành tích xuất sắc trong phong trào công nhân, viên chức, lao động và hoạt động công đoàn.",
    "person_name": "Ông Trần Văn Hùng",
    "sanction": "Khiển trách",
    "violation": "Không thực hiện đúng quy chế chi tiêu tài chính công đoàn cơ sở.",
}


def content_for(type_key: str, name: str, kind: str, columns=()) -> object | None:
    """The demo value of a required field, or None when there is none (the caller then leaves a gap)."""
    value = BY_TYPE.get(type_key, {}).get(name, BY_FIELD.get(name))
    if value is None:
        return None
    if kind == "list" and isinstance(value, str):
        return [value]
    if kind == "list" and columns and value and not isinstance(value[0], dict):
        return None
    return value
