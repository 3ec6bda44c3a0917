"""Demo people and places: Hòa Bình province and the seed district, Lạc Thủy (10 communes,
11 one-stop desks). Codes follow the pattern used in dossier codes (e.g. H15.50.05.13)."""

from portal.constants import AgencyLevel as L
from portal.constants import Role as R
from portal.payments.vietqr import bank_text

# A demo-only password, printed by `make run`; load_demo refuses to run in production.
DEMO_PASSWORD = "Demo@HoaBinh2026"  # noqa: S105
# The one authenticator-app secret (base32) of every demo staff account, printed with the logins;
# production never accepts it (PORTAL_DEMO_TOTP_ALLOWED). `manage.py demo_code` prints its code now.
DEMO_TOTP_SECRET = "HOABINHDEMOMOTCUALACTHUYXACTHUC2"  # noqa: S105

PROVINCE = "H15"
DISTRICT = "H15.50"
COMMUNES = [
    ("H15.50.05.01", "Thị trấn Chi Nê"),
    ("H15.50.05.02", "Thị trấn Ba Hàng Đồi"),
    ("H15.50.05.03", "Xã Phú Nghĩa"),
    ("H15.50.05.04", "Xã Phú Thành"),
    ("H15.50.05.05", "Xã Đồng Tâm"),
    ("H15.50.05.06", "Xã Yên Bồng"),
    ("H15.50.05.07", "Xã Khoan Dụ"),
    ("H15.50.05.08", "Xã Hưng Thi"),
    ("H15.50.05.09", "Xã An Bình"),
    ("H15.50.05.13", "Xã Thống Nhất"),
]

# (code, name, level, parent code, address)
AGENCIES = [
    (PROVINCE, "UBND tỉnh Hòa Bình", L.PROVINCE, None, "Đường Trần Hưng Đạo, phường Phương Lâm, TP. Hòa Bình"),
    ("H15.14", "Sở Tư pháp tỉnh Hòa Bình", L.DEPARTMENT, PROVINCE, "Số 2 đường Cù Chính Lan, TP. Hòa Bình"),
    ("H15.20", "Sở Xây dựng tỉnh Hòa Bình", L.DEPARTMENT, PROVINCE, "Đường An Dương Vương, TP. Hòa Bình"),
    (DISTRICT, "UBND huyện Lạc Thủy", L.DISTRICT, PROVINCE, "Khu 4, thị trấn Chi Nê, huyện Lạc Thủy"),
    ("H15.50.01", "Phòng Tư pháp huyện Lạc Thủy", L.DEPARTMENT, DISTRICT, "Thị trấn Chi Nê, huyện Lạc Thủy"),
    (
        "H15.50.02",
        "Phòng Tài chính - Kế hoạch huyện Lạc Thủy",
        L.DEPARTMENT,
        DISTRICT,
        "Thị trấn Chi Nê, huyện Lạc Thủy",
    ),
] + [(code, f"UBND {name}", L.COMMUNE, DISTRICT, f"{name}, huyện Lạc Thủy, tỉnh Hòa Bình") for code, name in COMMUNES]

# The fee accounts of the agencies that collect fees (VietQR transfers, reconciliation): a demo bank's
# BIN and made-up account numbers; no money can reach them.
FEE_ACCOUNTS = {
    DISTRICT: ("970405", "3703201009050", "UBND HUYEN LAC THUY"),
    "H15.14": ("970405", "3703201001414", "SO TU PHAP TINH HOA BINH"),
    "H15.50.02": ("970405", "3703201009052", "PHONG TAI CHINH KE HOACH LAC THUY"),
    **{code: ("970405", "37032010" + code[-2:] + "501", bank_text(f"UBND {name}").upper()) for code, name in COMMUNES},
}

# (desk code, agency code, name, opens Saturday morning)
DESKS = [("MC-H15.50", DISTRICT, "Bộ phận Một cửa huyện Lạc Thủy", True)] + [
    (f"MC-{code}", code, f"Bộ phận Một cửa {name}", False) for code, name in COMMUNES
]

# (email, full name, CCCD, phone, [(role, agency code, desk code or None)])
STAFF = [
    (
        "motcua.lacthuy@example.vn",
        "Nguyễn Thị Hương",
        "017190000101",
        "0912000101",
        [(R.DESK_OFFICER, DISTRICT, "MC-H15.50")],
    ),
    ("chuyenvien.tuphap@example.vn", "Trần Văn Đức", "017190000102", "0912000102", [(R.SPECIALIST, DISTRICT, None)]),
    ("lanhdao.lacthuy@example.vn", "Bùi Văn Thắng", "017190000103", "0912000103", [(R.LEADER, DISTRICT, None)]),
    ("danhmuc@example.vn", "Đinh Thị Lan", "017190000104", "0912000104", [(R.CATALOG_ADMIN, PROVINCE, None)]),
    (
        "motcua.chine@example.vn",
        "Quách Thị Mai",
        "017190000105",
        "0912000105",
        [(R.DESK_OFFICER, "H15.50.05.01", "MC-H15.50.05.01")],
    ),
    (
        "lanhdao.chine@example.vn",
        "Phạm Quang Vinh",
        "017190000106",
        "0912000106",
        [(R.LEADER, "H15.50.05.01", None), (R.SPECIALIST, "H15.50.05.01", None)],
    ),
    (
        "chuyenvien2.lacthuy@example.vn",
        "Lê Thị Ngọc Ánh",
        "017190000107",
        "0912000107",
        [(R.SPECIALIST, DISTRICT, None)],
    ),
] + [
    (
        f"motcua.{code.replace('.', '').lower()}@example.vn",
        f"Cán bộ một cửa {name}",
        f"0171900002{n:02d}",
        f"09130002{n:02d}",
        [(R.DESK_OFFICER, code, f"MC-{code}")],
    )
    for n, (code, name) in enumerate(COMMUNES[1:], start=1)
]

SUPERUSER = ("admin@example.vn", "Quản trị hệ thống")

# (email, full name, CCCD, phone, address)
CITIZENS = [
    (
        "an.nguyen@example.vn",
        "Nguyễn Văn An",
        "017095001234",
        "0987001234",
        "Khu 3, thị trấn Chi Nê, huyện Lạc Thủy, tỉnh Hòa Bình",
    ),
    (
        "binh.tran@example.vn",
        "Trần Thị Bình",
        "017196005678",
        "0987005678",
        "Thôn Đồng Mực, xã Đồng Tâm, huyện Lạc Thủy, tỉnh Hòa Bình",
    ),
    (
        "cuong.bui@example.vn",
        "Bùi Mạnh Cường",
        "017088009012",
        "0987009012",
        "Thôn Lão Ngoại, xã Phú Nghĩa, huyện Lạc Thủy, tỉnh Hòa Bình",
    ),
    (
        "dung.dinh@example.vn",
        "Đinh Thị Dung",
        "017199003456",
        "0987003456",
        "Thôn Liên Hòa, xã Khoan Dụ, huyện Lạc Thủy, tỉnh Hòa Bình",
    ),
]
