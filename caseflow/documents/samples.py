"""Realistic Vietnamese data for every document type (tests, the benchmark, the gallery preview). Names come
from the demo organisation (caseflow/demo.py); long names and many diacritics on purpose."""
from __future__ import annotations

import copy
from typing import Any

from caseflow.documents.types import get_type

PROVINCE = "LIÊN ĐOÀN LAO ĐỘNG TỈNH BÌNH ĐỊNH"
TLD = "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM"
#: issuer_body -> (superior, issuer, issuer_code, issuer_name)
ISSUERS = {
    "LĐLĐ": (TLD, PROVINCE, "LĐLĐ", "Liên đoàn Lao động tỉnh Bình Định"),
    "UBKT": (PROVINCE, "ỦY BAN KIỂM TRA", "UBKT", "Ủy ban Kiểm tra Liên đoàn Lao động tỉnh Bình Định"),
    "TTTVPL": (PROVINCE, "TRUNG TÂM TƯ VẤN PHÁP LUẬT CÔNG ĐOÀN", "TTTVPL",
               "Trung tâm Tư vấn pháp luật Công đoàn tỉnh Bình Định"),
    "unit": (PROVINCE, "LIÊN ĐOÀN LAO ĐỘNG THỊ XÃ AN NHƠN", "LĐLĐ", "Liên đoàn Lao động thị xã An Nhơn"),
}
SIGNERS = {"CHỦ TỊCH": "Trần Thị Bích Ngọc", "CHỦ NHIỆM": "Phạm Quốc Hưng", "GIÁM ĐỐC": "Nguyễn Văn Đức",
           "CHÁNH VĂN PHÒNG": "Huỳnh Thị Mai", "": "Trần Thị Bích Ngọc"}
#: signed by the parties named in their fields, not by an officer of the issuer
PARTY_SIGNED = {"giay_uy_quyen", "phieu_tu_van", "bien_ban_doi_thoai"}

ENTERPRISE = "Công ty Trách nhiệm hữu hạn Một thành viên Chế biến Gỗ và Lâm sản Xuất khẩu Phù Cát"
ACCUSED = "Lê Hoàng Nguyễn Phương Uyên"
LONG_PARAGRAPH = (
    "Theo nội dung đơn, trong thời gian từ tháng 3 năm 2025 đến tháng 10 năm 2025, người bị tố cáo đã chỉ đạo "
    "việc chi kinh phí công đoàn cơ sở không đúng mục đích, không thông qua Ban Chấp hành, không công khai tài "
    "chính với đoàn viên theo quy định; đồng thời thu đoàn phí của người lao động cao hơn mức quy định của Tổng "
    "Liên đoàn Lao động Việt Nam.")

FIELDS: dict[str, dict[str, Any]] = {
    "quyet_dinh_thu_ly_to_cao": {
        "case_code": "TC-2026-0007", "received_date": "2026-01-20", "accused_name": ACCUSED,
        "accused_position": "Chủ tịch Công đoàn cơ sở", "accused_unit": ENTERPRISE,
        "content": [LONG_PARAGRAPH, ("Việc sử dụng quỹ phúc lợi để chi cho các hoạt động không liên quan đến "
                    "đoàn viên, người lao động.")],
        "handler": "Ủy ban Kiểm tra Liên đoàn Lao động tỉnh"},
    "thong_bao_thu_ly_to_cao": {
        "case_code": "TC-2026-0007", "acceptance_decision": "số 05/QĐ-LĐLĐ ngày 05/02/2026",
        "acceptance_date": "2026-02-05", "accused_name": ACCUSED, "accused_position": "Chủ tịch Công đoàn cơ sở",
        "content": LONG_PARAGRAPH},
    "quyet_dinh_thanh_lap_to_xac_minh": {
        "case_code": "TC-2026-0007", "acceptance_decision": "số 05/QĐ-LĐLĐ ngày 05/02/2026",
        "accused_name": ACCUSED, "content": LONG_PARAGRAPH,
        "team": [{"full_name": "Phạm Quốc Hưng", "position": "Chủ nhiệm Ủy ban Kiểm tra", "role": "Tổ trưởng"},
                 {"full_name": "Đỗ Thị Thu Hà", "position": "Ủy viên Ủy ban Kiểm tra", "role": "Thành viên"},
                 {"full_name": "Ngô Văn Lực", "position": "Cán bộ Ủy ban Kiểm tra", "role": "Thư ký"}],
        "duration": "30 ngày kể từ ngày ký Quyết định"},
    "quyet_dinh_gia_han": {
        "case_code": "TC-2026-0007", "acceptance_decision": "số 05/QĐ-LĐLĐ ngày 05/02/2026",
        "accused_name": ACCUSED, "extension_days": "30", "new_deadline": "2026-04-06",
        "reason": "Vụ việc có nội dung tố cáo liên quan đến nhiều đơn vị, cần xác minh tại nhiều địa điểm và "
                  "thu thập thêm chứng từ thu, chi tài chính công đoàn từ năm 2024 đến năm 2025 (vụ việc phức tạp "
                  "theo Điều 3 Nghị định số 31/2019/NĐ-CP)."},
    "ket_luan_noi_dung_to_cao": {
        "case_code": "TC-2026-0007", "acceptance_decision": "số 05/QĐ-LĐLĐ ngày 05/02/2026",
        "accused_name": ACCUSED, "accused_position": "Chủ tịch Công đoàn cơ sở", "accused_unit": ENTERPRISE,
        "content": LONG_PARAGRAPH,
        "findings": [("Qua kiểm tra sổ sách kế toán, chứng từ thu, chi và làm việc với các đoàn viên có liên quan, "
                     "Tổ xác minh xác định có 03 khoản chi với tổng số tiền 12.500.000 đồng không thông qua Ban "
                     "Chấp hành."), "Việc thu đoàn phí thực hiện đúng mức quy định."],
        "conclusion": ["Nội dung tố cáo về việc chi kinh phí không đúng quy định là tố cáo đúng một phần.",
                       "Nội dung tố cáo về việc thu đoàn phí cao hơn quy định là tố cáo sai."],
        "measures": "Yêu cầu Ban Chấp hành Công đoàn cơ sở kiểm điểm, rút kinh nghiệm và hoàn trả số tiền đã chi "
                    "sai vào quỹ công đoàn cơ sở trong thời hạn 30 ngày."},
    "thong_bao_ket_qua": {
        "case_code": "TC-2026-0007", "conclusion_ref": "Kết luận nội dung tố cáo số 09/KL-LĐLĐ ngày 06/04/2026",
        "accused_name": ACCUSED,
        "result": ["Nội dung tố cáo về việc chi kinh phí không đúng quy định là tố cáo đúng một phần.",
                   "Nội dung tố cáo về việc thu đoàn phí cao hơn quy định là tố cáo sai."]},
    "thong_bao_thu_ly_khieu_nai": {
        "case_code": "KN-2026-0012", "round": "lần đầu", "complainant_name": "Nguyễn Thị Hồng Nhung",
        "complainant_address": "Thôn Vĩnh Lợi, xã Phước Hưng, huyện Tuy Phước, tỉnh Bình Định",
        "received_date": "2026-02-02", "acceptance_date": "2026-02-09",
        "complaint_content": "Khiếu nại Quyết định số 14/QĐ-CĐCS ngày 12/01/2026 của Ban Chấp hành Công đoàn cơ "
                             "sở về việc không xét trợ cấp khó khăn cho đoàn viên năm 2025."},
    "thong_bao_khong_thu_ly_khieu_nai": {
        "case_code": "KN-2026-0013", "complainant_name": "Trương Văn Khải",
        "complainant_address": "Tổ 5, khu vực 3, phường Nhơn Phú, thành phố Quy Nhơn, tỉnh Bình Định",
        "received_date": "2026-02-03",
        "complaint_content": "Khiếu nại việc Công đoàn cơ sở không giới thiệu tham gia lớp bồi dưỡng nghiệp vụ.",
        "refusal_ground": "Đơn khiếu nại được gửi khi đã hết thời hiệu khiếu nại 90 ngày theo Điều 9 Luật Khiếu "
                          "nại năm 2011 mà không có lý do chính đáng (Điều 11 Luật Khiếu nại năm 2011).",
        "guidance": "Nếu có tài liệu chứng minh trở ngại khách quan làm quá thời hiệu, ông có thể gửi kèm để được "
                    "xem xét lại."},
    "bien_ban_doi_thoai": {
        "case_code": "KN-2026-0012", "dialogue_date": "2026-02-24", "start_time": "08 giờ 30 phút",
        "end_time": "10 giờ 15 phút", "dialogue_place": "Trụ sở Liên đoàn Lao động tỉnh Bình Định",
        "chair": "Trần Thị Bích Ngọc, Chủ tịch Liên đoàn Lao động tỉnh", "secretary": "Huỳnh Thị Mai",
        "complainant_name": "Nguyễn Thị Hồng Nhung",
        "attendees": [{"full_name": "Phạm Quốc Hưng", "position": "Chủ nhiệm Ủy ban Kiểm tra"},
                      {"full_name": "Võ Minh Tâm", "position": "Chủ tịch Công đoàn cơ sở"}],
        "complaint_content": "Khiếu nại Quyết định số 14/QĐ-CĐCS ngày 12/01/2026 về việc không xét trợ cấp khó "
                             "khăn cho đoàn viên năm 2025.",
        "verification_result": "Đoàn viên thuộc diện hộ cận nghèo năm 2025 nhưng hồ sơ đề nghị nộp sau thời hạn.",
        "statements": ["Người khiếu nại trình bày: hồ sơ nộp chậm do nằm viện điều trị từ ngày 02/12/2025.",
                       "Đại diện Công đoàn cơ sở thừa nhận chưa xem xét lý do nộp chậm."],
        "agreed": "Công đoàn cơ sở xem xét lại hồ sơ trợ cấp của người khiếu nại.",
        "disagreed": ""},
    "quyet_dinh_giai_quyet_khieu_nai": {
        "case_code": "KN-2026-0012", "round": "lần đầu", "complainant_name": "Nguyễn Thị Hồng Nhung",
        "complainant_address": "Thôn Vĩnh Lợi, xã Phước Hưng, huyện Tuy Phước, tỉnh Bình Định",
        "received_date": "2026-02-02",
        "act_complained": "Quyết định số 14/QĐ-CĐCS ngày 12/01/2026 của Ban Chấp hành Công đoàn cơ sở",
        "complaint_content": "Bà Nguyễn Thị Hồng Nhung cho rằng việc không xét trợ cấp khó khăn năm 2025 là không "
                             "đúng quy chế chi tiêu nội bộ của Công đoàn cơ sở.",
        "verification_result": "Hồ sơ đề nghị trợ cấp nộp chậm 05 ngày do người khiếu nại nằm viện; quy chế cho "
                                "phép xét hồ sơ nộp chậm có lý do chính đáng.",
        "dialogue_result": "Các bên thống nhất xem xét lại hồ sơ tại cuộc đối thoại ngày 24/02/2026.",
        "conclusion": "Khiếu nại của bà Nguyễn Thị Hồng Nhung là khiếu nại đúng.",
        "decision": "Hủy Quyết định số 14/QĐ-CĐCS ngày 12/01/2026; yêu cầu Ban Chấp hành Công đoàn cơ sở xét trợ cấp "
                    "khó khăn cho bà Nguyễn Thị Hồng Nhung theo quy chế trong thời hạn 10 ngày."},
    "phieu_de_xuat_thu_ly": {
        "case_code": "KN-2026-0012", "letter_kind": "Đơn khiếu nại", "sender_name": "Nguyễn Thị Hồng Nhung",
        "sender_address": "Thôn Vĩnh Lợi, xã Phước Hưng, huyện Tuy Phước, tỉnh Bình Định",
        "received_date": "2026-02-02",
        "content": "Khiếu nại Quyết định số 14/QĐ-CĐCS ngày 12/01/2026 về việc không xét trợ cấp khó khăn.",
        "assessment": "Đơn ghi rõ ngày tháng, họ tên, địa chỉ, có chữ ký; người khiếu nại có quyền, lợi ích bị ảnh "
                      "hưởng trực tiếp; còn thời hiệu khiếu nại (Điều 9 và Điều 11 Luật Khiếu nại năm 2011).",
        "proposal": "Đề xuất thụ lý giải quyết khiếu nại lần đầu và giao Ủy ban Kiểm tra xác minh.",
        "proposer": "Đỗ Thị Thu Hà"},
    "phieu_chuyen_don": {
        "case_code": "TC-2026-0011", "transferred_to": "Thanh tra tỉnh Bình Định", "letter_kind": "Đơn tố cáo",
        "letter_date": "2026-01-28", "received_date": "2026-02-02",
        "content": "Tố cáo hành vi của Giám đốc doanh nghiệp không đóng bảo hiểm xã hội cho người lao động.",
        "reason": "Nội dung tố cáo không thuộc thẩm quyền giải quyết của tổ chức Công đoàn."},
    "van_ban_huong_dan": {
        "case_code": "KN-2026-0015", "addressees": ["Ông Trương Văn Khải"], "received_date": "2026-02-03",
        "content": "Đề nghị giải quyết tranh chấp về tiền lương làm thêm giờ với Công ty.",
        "competent_body": "Hòa giải viên lao động thuộc Ủy ban nhân dân cấp xã nơi doanh nghiệp đặt trụ sở",
        "guidance": "Ông có thể liên hệ Trung tâm Tư vấn pháp luật Công đoàn tỉnh để được tư vấn miễn phí."},
    "phieu_tu_van": {
        "case_code": "TV-2026-0031", "client_name": "Đặng Thị Mỹ Duyên", "member": "có",
        "client_address": "Khu phố Trung Lương, phường Bình Định, thị xã An Nhơn",
        "client_employer": ENTERPRISE, "consult_date": "2026-02-05",
        "question": "Người lao động bị chấm dứt hợp đồng lao động khi đang mang thai tháng thứ 5.",
        "advice": [("Theo khoản 3 Điều 37 Bộ luật Lao động năm 2019, người sử dụng lao động không được đơn phương "
                   "chấm dứt hợp đồng lao động với lao động nữ mang thai."),
                   ("Người lao động có quyền yêu cầu hòa giải hoặc khởi kiện; Công đoàn có thể đại diện khi được ủy "
                   "quyền.")],
        "legal_basis": "Bộ luật Lao động năm 2019.", "consultant": "Lê Thị Ánh Tuyết"},
    "giay_uy_quyen": {
        "case_code": "TV-2026-0031", "principal_name": "Đặng Thị Mỹ Duyên", "principal_birth_date": "1994-07-09",
        "principal_id_number": "052194008765",
        "principal_address": "Khu phố Trung Lương, phường Bình Định, thị xã An Nhơn, tỉnh Bình Định",
        "principal_employer": ENTERPRISE, "agent_name": "Nguyễn Văn Đức",
        "agent_position": "Tư vấn viên pháp luật",
        "scope": "Thay mặt người ủy quyền tham gia hòa giải, tố tụng tại Tòa án nhân dân có thẩm quyền trong vụ "
                 "tranh chấp về đơn phương chấm dứt hợp đồng lao động với doanh nghiệp nêu trên.",
        "term": "Từ ngày ký đến khi kết thúc vụ việc"},
    "van_ban_de_nghi": {
        "case_code": "TV-2026-0031", "addressees": ["Giám đốc " + ENTERPRISE],
        "worker_name": "Đặng Thị Mỹ Duyên", "worker_employer": ENTERPRISE,
        "matter": "Ngày 15/01/2026, Công ty ra quyết định chấm dứt hợp đồng lao động với bà Đặng Thị Mỹ Duyên "
                  "trong thời gian bà đang mang thai tháng thứ 5.",
        "legal_basis": "Theo khoản 3 Điều 37 Bộ luật Lao động năm 2019, người sử dụng lao động không được đơn "
                       "phương chấm dứt hợp đồng lao động trong trường hợp này.",
        "request": "Công ty hủy quyết định chấm dứt hợp đồng lao động, nhận bà trở lại làm việc và trả tiền lương "
                   "những ngày không được làm việc.",
        "amount": 12500000, "contact": "Nguyễn Văn Đức, điện thoại 0256 3822 xxx"},
    "quyet_dinh_cong_nhan_cdcs": {
        "cdcs_name": "Công đoàn cơ sở " + ENTERPRISE, "enterprise_name": ENTERPRISE,
        "enterprise_address": "Cụm công nghiệp Cát Nhơn, huyện Phù Cát, tỉnh Bình Định", "members_count": "47",
        "request_date": "2026-01-26", "term": "2026 - 2028",
        "committee": [{"full_name": "Võ Thị Ngọc Hân", "position": "Chủ tịch"},
                      {"full_name": "Nguyễn Trường Giang", "position": "Phó Chủ tịch"},
                      {"full_name": "Phan Thị Thu Thủy", "position": "Ủy viên"}]},
    "quyet_dinh_cong_nhan_bch": {
        "union_name": "Công đoàn cơ sở Trường Trung học phổ thông Nguyễn Thái Học", "term": "2025 - 2030",
        "congress_date": "2025-12-18",
        "members": [{"full_name": "Lê Văn Thành", "position": "Chủ tịch"},
                    {"full_name": "Trịnh Thị Kim Oanh", "position": "Phó Chủ tịch"},
                    {"full_name": "Bùi Quang Vinh", "position": "Ủy viên"}],
        "inspection_committee": [{"full_name": "Hồ Thị Diệu Linh", "position": "Chủ nhiệm"},
                                 {"full_name": "Tạ Minh Nhật", "position": "Ủy viên"}]},
    "to_trinh_khen_thuong": {
        "addressees": ["Ban Thường vụ Tổng Liên đoàn Lao động Việt Nam"], "form": "Bằng khen",
        "campaign": "\"Lao động giỏi, lao động sáng tạo\" năm 2025", "council_meeting_date": "2026-01-15",
        "vote_ratio": "9/11",
        "nominees": [{"full_name": "Công đoàn cơ sở Công ty Cổ phần Dược - Trang thiết bị Y tế Bình Định",
                      "unit": "Công đoàn các Khu công nghiệp tỉnh", "form": "Bằng khen"},
                     {"full_name": "Nguyễn Thị Thanh Xuân", "unit": "Liên đoàn Lao động thị xã An Nhơn",
                      "form": "Bằng khen"}],
        "achievement": "Hoàn thành xuất sắc nhiệm vụ năm 2025; phát triển 320 đoàn viên mới, thành lập 04 công "
                       "đoàn cơ sở."},
    "quyet_dinh_khen_thuong": {
        "form": "Giấy khen", "campaign": "\"Giỏi việc nước, đảm việc nhà\" năm 2025",
        "council_meeting_date": "2026-01-15", "vote_ratio": "10/11",
        "awardees": [{"full_name": "Trần Ngọc Bảo Châu", "unit": "Công đoàn cơ sở Bệnh viện Đa khoa tỉnh"},
                     {"full_name": "Công đoàn cơ sở Công ty Cổ phần Đường Bình Định",
                      "unit": "Công đoàn các Khu công nghiệp tỉnh"}],
        "achievement": "Đã có thành tích xuất sắc trong phong trào thi đua năm 2025.", "prize_amount": 1500000},
    "quyet_dinh_ky_luat": {
        "person_name": "Lý Văn Tường", "person_position": "Ủy viên Ban Chấp hành Công đoàn cơ sở",
        "person_unit": ENTERPRISE, "sanction": "khiển trách", "meeting_date": "2026-01-22",
        "violation": "Không thực hiện nhiệm vụ được Ban Chấp hành phân công, tự ý sử dụng con dấu của Công đoàn "
                     "cơ sở để xác nhận hồ sơ cá nhân."},
    "quyet_dinh": {
        "bases": ["Căn cứ Điều lệ Công đoàn Việt Nam khóa XIII;", ("Căn cứ Quy chế làm việc của Ban Chấp hành Liên đoàn Lao "
                  "động tỉnh;"), "Xét đề nghị của Chánh Văn phòng Liên đoàn Lao động tỉnh;"],
        "articles": [("Ban hành kèm theo Quyết định này Quy chế tiếp nhận và xử lý đơn thư của Liên đoàn Lao động "
                     "tỉnh Bình Định."),
                     "Quyết định này có hiệu lực kể từ ngày ký.",
                     ("Văn phòng, các ban, đơn vị trực thuộc Liên đoàn Lao động tỉnh chịu trách nhiệm thi hành "
                     "Quyết định này.")]},
    "quyet_dinh_ban_hanh_quy_trinh": {
        "bases": ["Căn cứ Điều lệ Công đoàn Việt Nam;",
                  "Căn cứ Nghị định 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;",
                  "Xét đề nghị của Chánh Văn phòng Liên đoàn Lao động tỉnh;"],
        "articles": ["Ban hành kèm theo Quyết định này Bộ quy trình nội bộ của Liên đoàn Lao động tỉnh Bình Định.",
                     "Quyết định này có hiệu lực kể từ ngày ký.",
                     ("Văn phòng, các ban, đơn vị trực thuộc Liên đoàn Lao động tỉnh chịu trách nhiệm thi hành "
                      "Quyết định này.")]},
    "thong_bao": {
        "body": [("Thực hiện Kế hoạch công tác năm 2026, Liên đoàn Lao động tỉnh thông báo lịch tiếp đoàn viên, "
                 "người lao động định kỳ vào sáng thứ Năm hằng tuần tại trụ sở cơ quan, số 02 Trần Phú, thành phố "
                 "Quy Nhơn."), "Đề nghị các cấp công đoàn thông báo rộng rãi đến đoàn viên, người lao động."]},
    "cong_van": {
        "addressees": ["Liên đoàn Lao động các huyện, thị xã, thành phố", ("Công đoàn ngành, Công đoàn các Khu công "
                       "nghiệp tỉnh")],
        "body": [("Để chuẩn bị tổng kết công tác kiểm tra năm 2025, Ban Thường vụ Liên đoàn Lao động tỉnh đề nghị "
                 "các đơn vị gửi báo cáo kết quả công tác kiểm tra, giải quyết khiếu nại, tố cáo về Ủy ban Kiểm tra "
                 "trước ngày 15/3/2026."), "Đề nghị các đơn vị quan tâm thực hiện."]},
    "bao_cao": {
        "body": ["I. KẾT QUẢ THỰC HIỆN", ("Trong năm 2025, các cấp công đoàn đã tư vấn pháp luật cho 1.245 lượt "
                 "đoàn viên, người lao động; tham gia 86 vụ việc tranh chấp lao động, trong đó có 59 vụ việc có đại "
                 "diện công đoàn tham gia (đạt 68,6%)."), "II. PHƯƠNG HƯỚNG NHIỆM VỤ NĂM 2026",
                 ("Tiếp tục nâng cao chất lượng tư vấn pháp luật; phấn đấu đạt chỉ tiêu 70% số vụ việc có đại diện "
                 "công đoàn tham gia.")]},
    "ke_hoach": {
        "body": ["I. MỤC ĐÍCH, YÊU CẦU", ("Nâng cao hiệu quả công tác kiểm tra, giám sát của Ủy ban Kiểm tra công "
                 "đoàn các cấp trong năm 2026."), "II. NỘI DUNG", ("Kiểm tra việc chấp hành Điều lệ Công đoàn Việt Nam "
                 "và quản lý tài chính, tài sản công đoàn tại 25 công đoàn cơ sở.")]},
    "to_trinh": {
        "addressees": ["Ban Thường vụ Liên đoàn Lao động tỉnh"],
        "body": [("Căn cứ Chương trình công tác năm 2026, Văn phòng kính trình Ban Thường vụ xem xét, phê duyệt Kế "
                 "hoạch tổ chức Tháng Công nhân năm 2026 với tổng kinh phí dự kiến 350.000.000 đồng."),
                 "Kính trình Ban Thường vụ xem xét, quyết định."]},
}

SUMMARIES = {
    "quyet_dinh_thu_ly_to_cao": "Về việc thụ lý tố cáo",
    "thong_bao_thu_ly_to_cao": "Về việc thụ lý tố cáo",
    "quyet_dinh_thanh_lap_to_xac_minh": "Về việc thành lập Tổ xác minh nội dung tố cáo",
    "quyet_dinh_gia_han": "Về việc gia hạn thời hạn giải quyết tố cáo",
    "ket_luan_noi_dung_to_cao": "Đối với ông (bà) " + ACCUSED,
    "thong_bao_ket_qua": "Về kết quả giải quyết tố cáo",
    "thong_bao_thu_ly_khieu_nai": "Về việc thụ lý giải quyết khiếu nại",
    "thong_bao_khong_thu_ly_khieu_nai": "Về việc không thụ lý giải quyết khiếu nại",
    "bien_ban_doi_thoai": "Đối thoại giải quyết khiếu nại",
    "quyet_dinh_giai_quyet_khieu_nai": "Về việc giải quyết khiếu nại của bà Nguyễn Thị Hồng Nhung (lần đầu)",
    "phieu_de_xuat_thu_ly": "Đơn khiếu nại của bà Nguyễn Thị Hồng Nhung",
    "phieu_chuyen_don": "",
    "van_ban_huong_dan": "Về việc hướng dẫn gửi đơn đến cơ quan có thẩm quyền",
    "phieu_tu_van": "",
    "giay_uy_quyen": "",
    "van_ban_de_nghi": "Về việc đề nghị giải quyết quyền lợi cho người lao động",
    "quyet_dinh_cong_nhan_cdcs": "Về việc công nhận đoàn viên, thành lập công đoàn cơ sở và Ban Chấp hành lâm thời",
    "quyet_dinh_cong_nhan_bch": "Về việc công nhận Ban Chấp hành, Ủy ban Kiểm tra công đoàn cơ sở nhiệm kỳ 2025 - 2030",
    "to_trinh_khen_thuong": "Về việc đề nghị tặng Bằng khen của Tổng Liên đoàn Lao động Việt Nam",
    "quyet_dinh_khen_thuong": "Về việc tặng Giấy khen",
    "quyet_dinh_ky_luat": "Về việc thi hành kỷ luật đối với ông Lý Văn Tường",
    "quyet_dinh": "Về việc ban hành Quy chế tiếp nhận và xử lý đơn thư",
    "quyet_dinh_ban_hanh_quy_trinh": "Về việc ban hành Bộ quy trình nội bộ",
    "thong_bao": "Về lịch tiếp đoàn viên, người lao động năm 2026",
    "cong_van": "Về việc báo cáo công tác kiểm tra năm 2025",
    "bao_cao": "Kết quả công tác tư vấn pháp luật năm 2025",
    "ke_hoach": "Công tác kiểm tra năm 2026",
    "to_trinh": "Về việc phê duyệt Kế hoạch tổ chức Tháng Công nhân năm 2026",
}


def sample_data(type_key: str) -> dict[str, Any]:
    """A complete, issued (numbered and dated) document of this type; a fresh copy each call."""
    doc_type = get_type(type_key)
    superior, issuer, issuer_code, issuer_name = ISSUERS[doc_type.issuer_body]
    signature = dict(doc_type.defaults.get("signature") or {})
    signature["name"] = "" if type_key in PARTY_SIGNED else SIGNERS.get(signature.get("title", ""), "Trần Thị Bích Ngọc")
    data: dict[str, Any] = {
        "superior": superior, "issuer": issuer, "issuer_code": issuer_code, "issuer_name": issuer_name,
        "number": 5, "place": "Bình Định", "date": "2026-02-05", "summary": SUMMARIES.get(type_key, ""),
        "fields": copy.deepcopy(FIELDS.get(type_key, {})), "signature": signature,
        "recipients": list(doc_type.defaults.get("recipients") or ()),
        "archive": doc_type.defaults.get("archive", "VT"), "secret": False, "urgency": "", "draft": False,
    }
    if doc_type.is_letter:
        data["drafting_code"] = "UBKT" if doc_type.issuer_body == "LĐLĐ" else ""
    return data
