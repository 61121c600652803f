import json
import sqlite3
import subprocess
import sys
from collections import Counter

import pytest

from desktop.cli import main as cli_main
from desktop.cli.core import status_payload
from desktop.services.demo import DEMO_TODAY, directive_numbers


def _run(capsys, *args):
    code = cli_main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_demo_covers_every_status_and_directive(demo_db):
    payload = status_payload(demo_db, None, None, DEMO_TODAY)
    statuses = Counter(a["status"] for a in payload["assignments"])
    for s in ("on_time", "late", "in_progress", "due_soon", "overdue", "no_deadline", "paused", "cancelled"):
        assert statuses[s] > 0, s
    assert {a["directive"] for a in payload["assignments"]} == set(directive_numbers())
    s = payload["summary"]
    assert s["due"] == s["on_time"] + s["late"] + s["overdue"]
    assert s["assigned"] == len(payload["assignments"])


def test_demo_real_dates_of_the_2022_directive(demo_db):
    rows = status_payload(demo_db, "2790/UBND-VHTT", None, DEMO_TODAY)["assignments"]
    propaganda = [r for r in rows if r["task"].startswith("Tuyên truyền Ngày Chuyển đổi số thành phố")]
    assert {r["unit_code"]: r["role"] for r in propaganda} == {"VHTT": "chu_tri", "TTVH": "phoi_hop"}
    assert {r["original_deadline"] for r in propaganda} == {"2022-10-31"}
    report = [r for r in rows if r["task"].startswith("Tham mưu tổ chức tuyên truyền")]
    assert {r["original_deadline"] for r in report} == {"2022-10-14"}  # "trước ngày 15/10/2022"
    wards = [r for r in rows if r["task"].startswith("Đăng tải Kế hoạch 234/KH-UBND trên Cổng TTĐT phường")]
    assert len(wards) == 12


def test_demo_is_deterministic(tmp_path, capsys):
    outs = []
    for name in ("a.db", "b.db"):
        assert _run(capsys, "demo", "--db", str(tmp_path / name))[0] == 0
        code, out, _ = _run(capsys, "status", "--db", str(tmp_path / name), "--today", "2024-10-08", "--json")
        assert code == 0
        outs.append(json.loads(out))
    assert outs[0] == outs[1]


def test_demo_refuses_to_overwrite(tmp_path, capsys):
    target = tmp_path / "x.db"
    assert _run(capsys, "demo", "--db", str(target))[0] == 0
    code, _, err = _run(capsys, "demo", "--db", str(target))
    assert code == 2 and "--force" in err
    assert _run(capsys, "demo", "--db", str(target), "--force")[0] == 0


def test_status_json_shape_and_filters(demo_db, capsys):
    code, out, _ = _run(capsys, "status", "--db", demo_db.location, "--unit", "P-DK", "--today", "08/10/2024",
                        "--json")
    data = json.loads(out)
    assert code == 0 and data["today"] == "2024-10-08"
    assert data["assignments"] and {a["unit"] for a in data["assignments"]} == {"UBND phường Đông Khê"}
    first = data["assignments"][0]
    assert set(first) >= {"directive", "task", "unit", "unit_code", "role", "deadline", "completed_on", "status",
                          "days_late"}
    assert set(data["summary"]) >= {"assigned", "due", "on_time", "late", "overdue", "on_time_rate"}
    # Group code: all 12 wards.
    code, out, _ = _run(capsys, "status", "--db", demo_db.location, "--unit", "NHOM-PHUONG", "--json",
                        "--today", "2024-10-08")
    assert len({a["unit_code"] for a in json.loads(out)["assignments"]}) == 12


@pytest.mark.parametrize("args, message", [
    (["--directive", "999/XX"], "Không tìm thấy văn bản"),
    (["--unit", "KHONGCO"], "Không tìm thấy đơn vị"),
    (["--today", "31/02/2024"], "ngày không hợp lệ"),
])
def test_status_bad_input(demo_db, capsys, args, message):
    code, _, err = _run(capsys, "status", "--db", demo_db.location, *args)
    assert code == 2 and message in err


def test_cli_refuses_damaged_or_foreign_files(tmp_path, capsys):
    foreign = tmp_path / "ghi chú.db"
    foreign.write_text("đây không phải cơ sở dữ liệu", encoding="utf-8")
    code, _, err = _run(capsys, "status", "--db", str(foreign))
    assert code == 1 and "không phải là cơ sở dữ liệu" in err
    broken = tmp_path / "hong.db"
    sqlite3.connect(broken).executescript("create table t(x); insert into t values (1);")
    data = bytearray(broken.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    broken.write_bytes(bytes(data))
    code, _, err = _run(capsys, "status", "--db", str(broken))
    assert code == 1 and "hỏng" in err
    assert _run(capsys, "status", "--db", str(tmp_path / "khong-co.db"))[0] == 1


def test_module_entry_point_runs_as_a_process(tmp_path):
    db = tmp_path / "Dữ liệu phòng/cơ sở dữ liệu.db"
    proc = subprocess.run([sys.executable, "-m", "desktop", "demo", "--db", str(db)], capture_output=True,
                          text=True, encoding="utf-8")
    assert proc.returncode == 0, proc.stderr
    assert "Đã tạo dữ liệu mẫu" in proc.stdout and db.exists()
