"""The data the demo inventory is drawn from: Sông Công's headquarters, cars, equipment models, fonds.

Pure data, no database. Headquarters and their intended uses follow the seed report on the
reorganisation of Sông Công (DOMAIN.md); addresses, areas, costs and serials are plausible,
not real records.
"""
from __future__ import annotations

CITY = "Thành phố Sông Công"
OLD_PROVINCE = "Tỉnh Thái Nguyên"
WARD_SONG_CONG = "new:5518"  # Phường Sông Công, official code 5518
FINANCE, ARCHIVE = "finance", "archive"  # provincial bodies, 'body:<province code>:<slug>'

WARD_HQ_USE = "Trụ sở Đảng ủy, HĐND, UBND phường Sông Công"
FRONT_HQ_USE = ("Trụ sở Ủy ban MTTQ Việt Nam phường (Khối Mặt trận Tổ quốc) và "
                "Trung tâm Phục vụ hành chính công phường Sông Công")
POLICE_HQ_USE = "Trụ sở Công an phường và các đơn vị sự nghiệp công lập phường Sông Công"
SURPLUS_USE = "Dôi dư: đề nghị UBND tỉnh sắp xếp lại, xử lý theo quy định"

# Headquarters: (giving unit: CITY or an old commune's name, receiver: a ward's name or a body slug, fields).
HEADQUARTERS: tuple[tuple[str, str, dict], ...] = (
    (CITY, "Phường Sông Công", dict(
        name="Trụ sở Thành ủy Sông Công",
        address="Số 1, đường Cách Mạng Tháng Mười, phường Thắng Lợi, thành phố Sông Công",
        land_area="12.480,5", floor_area="4.862", year_built=2008, land_certificate_no="BĐ 456789",
        original_cost=38_500_000_000, remaining_value=24_160_000_000, current_use="Trụ sở Thành ủy Sông Công",
        intended_use=WARD_HQ_USE, documents="GCN QSDĐ số BĐ 456789; hồ sơ hoàn công công trình")),
    (CITY, "Phường Sông Công", dict(
        name="Trụ sở HĐND - UBND thành phố Sông Công",
        address="Số 3, đường Thắng Lợi, phường Thắng Lợi, thành phố Sông Công",
        land_area="9.850", floor_area="5.310,4", year_built=2006, land_certificate_no="BĐ 456790",
        original_cost=41_200_000_000, remaining_value=22_660_000_000, current_use="Trụ sở HĐND và UBND thành phố",
        intended_use="Trụ sở các phòng chuyên môn thuộc UBND phường Sông Công", condition="good",
        documents="GCN QSDĐ số BĐ 456790")),
    (CITY, FINANCE, dict(
        name="Trụ sở Phòng Tài chính - Kế hoạch (cũ)", address="Tổ dân phố 4, phường Phố Cò, thành phố Sông Công",
        land_area="1.260", floor_area="780", year_built=1998, land_certificate_no="AK 102384",
        original_cost=4_850_000_000, remaining_value=620_000_000, condition="needs_repair",
        current_use="Phòng Tài chính - Kế hoạch thành phố", intended_use=SURPLUS_USE)),
    ("Phường Thắng Lợi", "Phường Sông Công", dict(
        name="Trụ sở Đảng ủy, HĐND, UBND phường Thắng Lợi (cũ)",
        address="Tổ dân phố 9, phường Thắng Lợi, thành phố Sông Công",
        land_area="2.346,8", floor_area="1.128", year_built=2012, land_certificate_no="BO 730215",
        original_cost=9_760_000_000, remaining_value=6_830_000_000, current_use="Trụ sở phường Thắng Lợi",
        intended_use=FRONT_HQ_USE, documents="GCN QSDĐ số BO 730215")),
    ("Phường Phố Cò", "Phường Sông Công", dict(
        name="Trụ sở Đảng ủy, HĐND, UBND phường Phố Cò (cũ)",
        address="Tổ dân phố 2, phường Phố Cò, thành phố Sông Công",
        land_area="1.984", floor_area="936,5", year_built=2010, land_certificate_no="BO 730377",
        original_cost=7_420_000_000, remaining_value=4_450_000_000, current_use="Trụ sở phường Phố Cò",
        intended_use=POLICE_HQ_USE, documents="GCN QSDĐ số BO 730377")),
    ("Phường Cải Đan", "Phường Sông Công", dict(
        name="Trụ sở Đảng ủy, HĐND, UBND phường Cải Đan (cũ)",
        address="Tổ dân phố Cải Đan 3, phường Cải Đan, thành phố Sông Công",
        land_area="1.650", floor_area="612", year_built=2003, land_certificate_no="AĐ 218846",
        original_cost=3_980_000_000, remaining_value=1_190_000_000, condition="needs_repair",
        current_use="Trụ sở phường Cải Đan", intended_use=SURPLUS_USE, documents="GCN QSDĐ số AĐ 218846")),
    ("Phường Mỏ Chè", "Phường Bá Xuyên", dict(
        name="Trụ sở Đảng ủy, HĐND, UBND phường Mỏ Chè (cũ)",
        address="Tổ dân phố 6, phường Mỏ Chè, thành phố Sông Công",
        land_area="2.105", floor_area="1.040", year_built=2014, land_certificate_no="BX 551204",
        original_cost=8_900_000_000, remaining_value=6_680_000_000, current_use="Trụ sở phường Mỏ Chè",
        intended_use="Trụ sở Đảng ủy, HĐND, UBND phường Bá Xuyên")),
    ("Xã Bá Xuyên", "Phường Bá Xuyên", dict(
        name="Trụ sở Đảng ủy, HĐND, UBND xã Bá Xuyên (cũ)", address="Xóm Tân Sơn, xã Bá Xuyên, thành phố Sông Công",
        land_area="3.020", floor_area="705", year_built=2009, land_certificate_no="BX 551377",
        original_cost=5_140_000_000, remaining_value=2_830_000_000, current_use="Trụ sở xã Bá Xuyên",
        intended_use="Trụ sở Khối Mặt trận Tổ quốc và Trung tâm Phục vụ hành chính công phường Bá Xuyên")),
    ("Phường Bách Quang", "Phường Bách Quang", dict(
        name="Trụ sở Đảng ủy, HĐND, UBND phường Bách Quang (cũ)",
        address="Tổ dân phố 1, phường Bách Quang, thành phố Sông Công",
        land_area="2.480", floor_area="1.210", year_built=2016, land_certificate_no="CĐ 090132",
        original_cost=10_300_000_000, remaining_value=8_240_000_000, current_use="Trụ sở phường Bách Quang",
        intended_use="Trụ sở Đảng ủy, HĐND, UBND phường Bách Quang", condition="good")),
    ("Phường Lương Sơn", "Phường Bách Quang", dict(
        name="Trụ sở Đảng ủy, HĐND, UBND phường Lương Sơn (cũ)",
        address="Tổ dân phố Lương Sơn 5, phường Lương Sơn, thành phố Sông Công",
        land_area="1.875", floor_area="820", year_built=2011, land_certificate_no="BO 731902",
        original_cost=6_350_000_000, remaining_value=3_680_000_000, current_use="Trụ sở phường Lương Sơn",
        intended_use="Trụ sở Công an phường Bách Quang")),
    ("Xã Tân Quang", "Phường Bách Quang", dict(
        name="Trụ sở Đảng ủy, HĐND, UBND xã Tân Quang (cũ)",
        address="Xóm Đồng Danh, xã Tân Quang, thành phố Sông Công",
        land_area="2.760", floor_area="540", year_built=2001, land_certificate_no="AĐ 219330",
        original_cost=2_870_000_000, remaining_value=430_000_000, condition="needs_repair",
        current_use="Trụ sở xã Tân Quang", intended_use=SURPLUS_USE)),
)

# City cars: (receiver, make/model, seats, year made, cost, condition, intended use). Thái Nguyên plates are 20.
GENERAL_USE = "Xe phục vụ công tác chung"
SURPLUS_CAR = "Dôi dư: đề nghị điều chuyển hoặc thanh lý"
VEHICLES: tuple[tuple[str, str, int, int, int, str, str], ...] = (
    ("Phường Sông Công", "Toyota Camry 2.5Q", 5, 2017, 1_420_000_000, "in_use", GENERAL_USE),
    ("Phường Sông Công", "Toyota Fortuner 2.7V 4x2", 7, 2019, 1_156_000_000, "good", GENERAL_USE),
    ("Phường Bá Xuyên", "Toyota Innova 2.0E", 8, 2015, 745_000_000, "in_use", GENERAL_USE),
    ("Phường Bách Quang", "Mitsubishi Pajero Sport 2.4D", 7, 2018, 1_062_000_000, "in_use", GENERAL_USE),
    (FINANCE, "Ford Transit 16 chỗ", 16, 2012, 836_000_000, "damaged", SURPLUS_CAR),
    (FINANCE, "Toyota Corolla Altis 1.8G", 5, 2010, 748_000_000, "needs_repair", SURPLUS_CAR),
)

# Equipment models: (type, unit of measure, [(make/model, serial prefix)], cost range in đồng, useful life in years).
EQUIPMENT_MODELS: tuple[tuple[str, str, tuple[tuple[str, str], ...], tuple[int, int], int], ...] = (
    ("Máy vi tính", "bộ", (("Dell OptiPlex 3080", "DL"), ("HP ProDesk 400 G7", "VNC"),
                          ("Lenovo ThinkCentre M70t", "PC0"), ("FPT Elead T8400i", "ELD")),
     (11_500_000, 18_900_000), 5),
    ("Máy tính xách tay", "chiếc", (("Dell Latitude 3420", "DL"), ("HP ProBook 440 G8", "5CD")),
     (15_200_000, 23_500_000), 5),
    ("Máy in", "chiếc", (("Canon LBP 2900", "CNB"), ("HP LaserJet Pro M404dn", "PHB"), ("Brother HL-L2321D", "E7Y")),
     (3_150_000, 8_400_000), 5),
    ("Máy photocopy", "chiếc", (("Ricoh MP 3555", "C86"), ("Toshiba e-Studio 2518A", "CMJ"), ("Canon iR 2525", "QBK")),
     (48_000_000, 86_500_000), 8),
    ("Máy chiếu", "chiếc", (("Epson EB-X51", "X8Q"), ("Sony VPL-DX221", "S01"), ("Panasonic PT-LB386", "DA6")),
     (11_900_000, 19_800_000), 6),
    ("Máy scan", "chiếc", (("Canon DR-M160II", "GD3"), ("Fujitsu fi-7160", "A2W")), (18_500_000, 31_000_000), 6),
    ("Điều hòa", "bộ", (("Daikin FTKB35WAVMV", "E00"), ("Panasonic CU/CS-N12WKH", "6XB"), ("LG V13ENS", "LG3")),
     (9_200_000, 17_600_000), 8),
    ("Bàn ghế làm việc", "bộ", (("Hòa Phát HP1200 kèm ghế SG550", ""), ("Bàn gỗ công nghiệp 1m4 kèm ghế xoay", "")),
     (3_400_000, 6_200_000), 8),
    ("Bàn ghế phòng họp", "bộ", (("Bàn họp gỗ tự nhiên 20 chỗ", ""), ("Hòa Phát CT3012 kèm 12 ghế", "")),
     (24_000_000, 46_000_000), 10),
    ("Tủ đựng tài liệu", "cái", (("Tủ sắt Hòa Phát TU09K3", ""), ("Tủ gỗ 4 cánh kính", "")),
     (3_100_000, 6_400_000), 10),
    ("Két sắt", "cái", (("Két sắt Việt Tiệp K45", "VT"),), (5_600_000, 9_800_000), 10),
    ("Tivi", "chiếc", (("Samsung UA55AU7000", "0B6"), ("Sony KD-55X80K", "S01")), (12_400_000, 19_900_000), 6),
    ("Bộ âm thanh hội trường", "bộ", (("Loa JBL, amply Jarguar, micro Shure", "JB"),), (38_000_000, 72_000_000), 8),
    ("Máy phát điện", "chiếc", (("Honda EKB 8500R2", "EKB"),), (42_000_000, 58_000_000), 10),
)
# How often each type turns up in an office inventory (same order as EQUIPMENT_MODELS).
EQUIPMENT_WEIGHTS = (30, 6, 14, 4, 3, 3, 12, 14, 2, 9, 1, 2, 1, 1)

CITY_OFFICES = ("Văn phòng HĐND và UBND thành phố", "Phòng Tài chính - Kế hoạch", "Phòng Nội vụ",
                "Phòng Tài nguyên và Môi trường", "Phòng Quản lý đô thị", "Phòng Văn hóa - Thông tin",
                "Phòng Lao động - Thương binh và Xã hội", "Phòng Tư pháp", "Văn phòng Thành ủy")
COMMUNE_OFFICES = ("Văn phòng HĐND và UBND", "Bộ phận một cửa", "Công chức Tư pháp - Hộ tịch",
                   "Công chức Địa chính - Xây dựng", "Công chức Tài chính - Kế toán", "Hội trường")

# Archive fonds: (giving unit, fonds name, number of boxes, first year, share sorted, share preliminary).
FONDS: tuple[tuple[str, str, int, int, float, float], ...] = (
    (CITY, "Phông UBND thành phố Sông Công", 120, 1985, 0.55, 0.15),
    ("Phường Thắng Lợi", "Phông UBND phường Thắng Lợi", 60, 1999, 0.45, 0.2),
    ("Phường Phố Cò", "Phông UBND phường Phố Cò", 45, 1999, 0.3, 0.35),
    ("Phường Cải Đan", "Phông UBND phường Cải Đan", 40, 2003, 0.15, 0.2),
)
# Records series: (title, permanent?) — what a box of a People's Committee fonds holds.
SERIES = (
    ("Văn bản chỉ đạo, điều hành của UBND", True), ("Hồ sơ kỳ họp HĐND", True), ("Hồ sơ tư pháp - hộ tịch", True),
    ("Hồ sơ địa chính, đất đai", True), ("Hồ sơ cấp phép xây dựng", True), ("Hồ sơ thi đua - khen thưởng", True),
    ("Chứng từ kế toán, ngân sách", False), ("Hồ sơ lao động - thương binh và xã hội", False),
    ("Hồ sơ văn hóa - xã hội", False), ("Báo cáo thống kê định kỳ", False),
)
